import { describe, expect, it } from 'vitest';
import { entityOf, recordConformance } from '../../../../emulators/graph/conformance';
import type { ConformanceViolation, GraphExchange } from '../../../../emulators/graph/conformance';

describe('entityOf', () => {
  it.each([
    ['/users', 'user'],
    ['/users/00000002-0001-4000-8000-000000000001', 'user'],
    ['/groups/abc', 'group'],
    ['/groups/abc/members', 'directoryObject'],
    ['/groups/abc/members/$ref', 'directoryObject'],
    ['/organization', 'organization'],
    ['/organization/t1/certificateBasedAuthConfiguration', 'certificateBasedAuthConfiguration'],
    [
      '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/x509Certificate',
      'authenticationMethodConfiguration',
    ],
    [
      '/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations/p1/certificateAuthorities',
      'certificateAuthorityDetail',
    ],
    ['/identity/conditionalAccess/authenticationStrength/policies/s1/usage', 'authenticationStrengthUsage'],
    ['/policies/authenticationStrengthPolicies/s1', 'authenticationStrengthPolicy'],
    ["/servicePrincipals(appId='99383c77-0bb9-41f0-96e1-b72ad6eca607')", 'servicePrincipal'],
    ['/servicePrincipals/sp1/oauth2PermissionGrants', 'oAuth2PermissionGrant'],
    ['/servicePrincipals/sp1/appRoleAssignedTo', 'appRoleAssignment'],
    ['/nowhere', undefined],
  ])('%s → %s', (path, expected) => {
    expect(entityOf(path)).toBe(expected);
  });
});

describe('recordConformance', () => {
  const exchange: GraphExchange = {
    method: 'GET',
    version: 'v1.0',
    path: '/users',
    query: '',
    entity: 'user',
    isBatchEnvelope: false,
    inBatch: false,
    requestBody: undefined,
    status: 200,
    responseBody: { value: [] },
  };

  it('records each problem the checker reports, and a throwing checker as a problem', () => {
    const sink: ConformanceViolation[] = [];
    recordConformance(() => ['a', 'b'], sink, exchange);
    recordConformance(
      () => {
        throw new Error('boom');
      },
      sink,
      exchange,
    );
    recordConformance(undefined, sink, exchange);
    expect(sink.map((v) => v.problem)).toEqual(['a', 'b', 'checker failed: boom']);
  });
});
