import { describe, expect, it } from 'vitest';
import type { FailedResponse } from '../../../electron/services/graph/errors';
import { mapGraphFailure } from '../../../electron/services/graph/errors';
import { catalogs } from '../../../shared/i18n';

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
    // Only the certificateUserIds uniqueness refusal means « used by another account ».
    [
      { status: 400, message: 'Another object with the same value for property certificateUserIds already exists.' },
      'graph.conflict',
    ],
    [
      {
        status: 400,
        message: "One or more added object references already exist for the following modified properties: 'members'.",
      },
      'graph.already-exists',
    ],
    [{ status: 400, message: 'A policy with the same display name already exists.' }, 'graph.already-exists'],
    [{ status: 400, message: 'Duplicate Certificate exists.' }, 'graph.already-exists'],
    [
      { status: 409, message: 'Another object with the same value for property proxyAddresses already exists.' },
      'graph.already-exists',
    ],
    [
      { status: 400, message: 'Duplicate values are not allowed for property certificateUserIds.' },
      'graph.bad-request',
    ],
    [
      { status: 409, graphCode: 'Directory_ConcurrencyViolation', message: 'Concurrency violation.' },
      'graph.bad-request',
    ],
    [{ status: 400, graphCode: 'Request_UnsupportedQuery' }, 'graph.bad-request'],
    [{ status: 429, retryAfterSeconds: 7 }, 'graph.throttled'],
    [{ status: 503 }, 'graph.server-error'],
    [{ status: 504 }, 'graph.server-error'],
    [{ status: 503, retryAfterSeconds: 2 }, 'graph.throttled'],
    [{ status: 504, retryAfterSeconds: 2 }, 'graph.throttled'],
    [{ status: 500, retryAfterSeconds: 2 }, 'graph.server-error'],
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

  it.each([
    ['GET', '/users', 'errors.graph.forbidden'],
    ['GET', 'users/1', 'errors.graph.forbidden'],
    ['GET', '/identity/conditionalAccess/templates', 'errors.graph.forbidden'],
    ['GET', '/auditLogs/signIns', 'errors.graph.forbidden-generic'],
    ['POST', '/applications', 'errors.graph.forbidden-generic'],
  ])('403 on %s %s uses %s (no blank hint)', (method, path, messageKey) => {
    const e = mapGraphFailure(failure({ status: 403, method, path }));
    expect(e.code).toBe('graph.forbidden');
    expect(e.messageKey).toBe(messageKey);
    if (messageKey.endsWith('forbidden-generic')) {
      expect(e.details?.missingScope).toBeUndefined();
    } else {
      expect(typeof e.details?.missingScope).toBe('string');
    }
  });

  it('every message key it uses exists in both catalogs', () => {
    const keys = [
      mapGraphFailure(failure({ status: 403, path: '/auditLogs' })).messageKey,
      mapGraphFailure(failure({ status: 400, message: 'Duplicate Certificate exists.' })).messageKey,
    ];
    for (const catalog of Object.values(catalogs)) {
      for (const key of keys) {
        const value = key
          .split('.')
          .reduce<unknown>((n, k) => (n as Record<string, unknown> | undefined)?.[k], catalog);
        expect(typeof value).toBe('string');
        expect(String(value)).not.toMatch(/\{\{(missingScope|leastRole)\}\}/);
      }
    }
  });

  it('keeps Retry-After on graph.throttled', () => {
    expect(mapGraphFailure(failure({ status: 429, retryAfterSeconds: 7 })).details).toMatchObject({
      retryAfterSeconds: 7,
    });
  });
});
