import { describe, expect, it } from 'vitest';
import type { FailedResponse } from '../../../electron/services/graph/errors';
import { mapGraphFailure } from '../../../electron/services/graph/errors';

const failure = (over: Partial<FailedResponse>): FailedResponse => ({
  status: 400,
  graphCode: undefined,
  message: undefined,
  requestId: 'rid',
  clientRequestId: 'cid',
  retryAfterSeconds: undefined,
  method: 'GET',
  path: '/users',
  claimsChallenge: false,
  ...over,
});

describe('graph error mapping', () => {
  it.each([
    [{ status: 401 }, 'graph.unauthorized'],
    [{ status: 401, claimsChallenge: true }, 'graph.claims-required'],
    [{ status: 403, graphCode: 'Authorization_RequestDenied' }, 'graph.forbidden'],
    [{ status: 404 }, 'graph.not-found'],
    [{ status: 409, graphCode: 'Directory_ConcurrencyViolation' }, 'graph.conflict'],
    [
      { status: 400, message: 'Another object with the same value for property certificateUserIds already exists.' },
      'graph.conflict',
    ],
    [
      {
        status: 400,
        message: "One or more added object references already exist for the following modified properties: 'members'.",
      },
      'graph.conflict',
    ],
    [{ status: 400, graphCode: 'Request_UnsupportedQuery' }, 'graph.bad-request'],
    [{ status: 429, retryAfterSeconds: 7 }, 'graph.throttled'],
    [{ status: 503 }, 'graph.server-error'],
  ] as const)('%j → %s', (over, code) => {
    expect(mapGraphFailure(failure(over)).code).toBe(code);
  });

  it.each([
    ['GET', '/users?$select=authorizationInfo', 'User.Read.All', 'Global Reader'],
    ['PATCH', '/users/1', 'User.ReadWrite.All', 'Privileged Authentication Administrator'],
    [
      'PATCH',
      '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/x509Certificate',
      'Policy.ReadWrite.AuthenticationMethod',
      'Authentication Policy Administrator',
    ],
    ['GET', '/identity/conditionalAccess/policies', 'Policy.Read.ConditionalAccess', 'Security Reader'],
    ['POST', '/organization/1/certificateBasedAuthConfiguration', 'Organization.ReadWrite.All', 'Global Administrator'],
    ['GET', "/servicePrincipals(appId='x')/appRoleAssignedTo", 'Application.Read.All', 'Global Reader'],
  ])('403 on %s %s names %s and %s', (method, path, scope, role) => {
    const e = mapGraphFailure(failure({ status: 403, method, path }));
    expect(e.details).toMatchObject({ missingScope: scope, leastRole: role, requestId: 'rid', clientRequestId: 'cid' });
  });

  it('keeps Retry-After on graph.throttled', () => {
    expect(mapGraphFailure(failure({ status: 429, retryAfterSeconds: 7 })).details).toMatchObject({
      retryAfterSeconds: 7,
    });
  });
});
