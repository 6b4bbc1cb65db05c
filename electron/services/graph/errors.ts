/**
 * Maps Graph failures to the service's stable `AppError` codes.
 */
import { AppError } from '../../../shared/errors';
import { permissionHint } from './permissions';

/** The closed set of codes this service throws. */
export type GraphErrorCode =
  | 'graph.forbidden'
  | 'graph.not-found'
  | 'graph.throttled'
  | 'graph.offline'
  | 'graph.claims-required'
  | 'graph.server-error'
  | 'graph.unauthorized'
  | 'graph.conflict'
  | 'graph.bad-request';

/** What we know about a failed response. */
export type FailedResponse = {
  readonly status: number;
  readonly graphCode: string | undefined;
  readonly message: string | undefined;
  readonly requestId: string | undefined;
  readonly clientRequestId: string;
  readonly retryAfterSeconds: number | undefined;
  readonly method: string;
  /** Path relative to the version (`/users/…`), query included. */
  readonly path: string;
  readonly claimsChallenge: boolean;
  /** Claims of a challenge still unmet, and the scopes asked: what an interactive sign-in must request. */
  readonly claims?: string;
  readonly scopes?: readonly string[];
};

const alreadyExists = /already exist/i;

/** Builds the AppError for a failed response. */
export function mapGraphFailure(f: FailedResponse): AppError {
  const base = {
    status: f.status,
    graphCode: f.graphCode,
    graphMessage: f.message,
    requestId: f.requestId,
    clientRequestId: f.clientRequestId,
  };
  const err = (code: GraphErrorCode, extra: Record<string, unknown> = {}) =>
    new AppError(code, { details: { ...base, ...extra } });
  if (f.status === 401) {
    return f.claimsChallenge
      ? err('graph.claims-required', {
          ...(f.claims === undefined ? {} : { claims: f.claims }),
          ...(f.scopes === undefined ? {} : { scopes: [...f.scopes] }),
        })
      : err('graph.unauthorized');
  }
  if (f.status === 403) {
    const hint = permissionHint(f.method, f.path.split('?')[0] ?? f.path);
    return err('graph.forbidden', { missingScope: hint?.scope, leastRole: hint?.role });
  }
  if (f.status === 404) {
    return err('graph.not-found');
  }
  if (f.status === 409 || (f.status === 400 && alreadyExists.test(f.message ?? ''))) {
    return err('graph.conflict');
  }
  // A 503/504 carrying Retry-After is Graph asking to come back later, like a 429.
  if (f.status === 429 || ((f.status === 503 || f.status === 504) && f.retryAfterSeconds !== undefined)) {
    return err('graph.throttled', { retryAfterSeconds: f.retryAfterSeconds });
  }
  if (f.status >= 500) {
    return err('graph.server-error');
  }
  return err('graph.bad-request');
}

/** Builds the AppError for a connection failure; `outcomeUnknown` when a write may have been applied. */
export function mapTransportFailure(input: {
  code: string;
  method: string;
  path: string;
  clientRequestId: string;
  outcomeUnknown: boolean;
  cause: unknown;
}): AppError {
  return new AppError('graph.offline', {
    details: {
      networkCode: input.code,
      method: input.method,
      clientRequestId: input.clientRequestId,
      outcomeUnknown: input.outcomeUnknown,
    },
    cause: input.cause,
  });
}
