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
  | 'graph.already-exists'
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

/** Graph's certificateUserIds uniqueness refusal: the value belongs to another account of the tenant. */
const certificateUserIdsTaken = /same value for property\s+'?certificateUserIds'?|certificateUserIds\b.*already exist/i;
/** Any other « already exists » (a member already in a group, a duplicate name, PKI « Duplicate Certificate exists »). */
const alreadyExists = /already exist|\bduplicate\b[^.]*\bexists?\b/i;
/** Message key of a 403 on a resource whose least scope and role we do not know (no blanks in the message). */
const forbiddenWithoutHint = 'errors.graph.forbidden-generic';

/** Builds the AppError for a failed response. */
export function mapGraphFailure(f: FailedResponse): AppError {
  const base = {
    status: f.status,
    graphCode: f.graphCode,
    graphMessage: f.message,
    requestId: f.requestId,
    clientRequestId: f.clientRequestId,
  };
  const err = (code: GraphErrorCode, extra: Record<string, unknown> = {}, messageKey?: string) =>
    new AppError(code, { details: { ...base, ...extra }, ...(messageKey === undefined ? {} : { messageKey }) });
  if (f.status === 401) {
    return f.claimsChallenge
      ? err('graph.claims-required', {
          ...(f.claims === undefined ? {} : { claims: f.claims }),
          ...(f.scopes === undefined ? {} : { scopes: [...f.scopes] }),
        })
      : err('graph.unauthorized');
  }
  if (f.status === 403) {
    // Batch item URLs may come without the leading slash.
    const path = (f.path.split('?')[0] ?? f.path).replace(/^(?!\/)/, '/');
    const hint = permissionHint(f.method, path);
    return hint
      ? err('graph.forbidden', { missingScope: hint.scope, leastRole: hint.role })
      : err('graph.forbidden', {}, forbiddenWithoutHint);
  }
  if (f.status === 404) {
    return err('graph.not-found');
  }
  if (f.status === 400 || f.status === 409) {
    const message = f.message ?? '';
    if (certificateUserIdsTaken.test(message)) {
      return err('graph.conflict');
    }
    if (alreadyExists.test(message)) {
      return err('graph.already-exists');
    }
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
