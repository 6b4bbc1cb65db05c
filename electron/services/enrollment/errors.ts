/**
 * Error codes the enrollment service adds on top of the pure logic's (`shared/enrollment/codes.ts`) and Graph's.
 */
import { AppError } from '../../../shared/errors';
import { roleTemplateIds } from './roles';

/** Codes thrown by the enrollment service itself. */
export type EnrollmentServiceErrorCode =
  | 'enrollment.user-not-found'
  | 'enrollment.missing-role'
  | 'enrollment.uniqueness-conflict'
  | 'enrollment.no-card-in-reader'
  | 'enrollment.invalid-certificate'
  | 'enrollment.not-an-authentication-certificate'
  | 'enrollment.no-matchable-binding'
  | 'enrollment.nothing-to-remove'
  | 'enrollment.no-cba-group';

/** Build an enrollment error. */
export function enrollmentError(code: EnrollmentServiceErrorCode, details: Record<string, unknown> = {}): AppError {
  return new AppError(code, { details });
}

/** True for an AppError with this code. */
export function hasCode(error: unknown, code: string): error is AppError {
  return error instanceof AppError && error.code === code;
}

/**
 * Graph could not be reached (including a write whose outcome is unknown): the step goes to the queue. A token
 * refresh that cannot reach the authority (`identity.offline`) is the same network outage seen one hop earlier.
 */
export function isOffline(error: unknown): boolean {
  return hasCode(error, 'graph.offline') || hasCode(error, 'identity.offline');
}

/** Transient Graph failures worth retrying later from the queue (throttling past the budget, 5xx). */
export function isTransient(error: unknown): boolean {
  return isOffline(error) || hasCode(error, 'graph.throttled') || hasCode(error, 'graph.server-error');
}

/**
 * Translate Graph failures of a write into what the desk can explain: a 403 on the PATCH means the signed-in agent
 * lacks Privileged Authentication Administrator (cloud-only users), a 404 the user is gone, a uniqueness 400 another
 * account already holds a value.
 */
export function explainWriteFailure(error: unknown, context: { userId: string; values?: readonly string[] }): unknown {
  if (!(error instanceof AppError)) {
    return error;
  }
  if (error.code === 'graph.forbidden') {
    return new AppError('enrollment.missing-role', {
      details: {
        userId: context.userId,
        role: 'Privileged Authentication Administrator',
        roleTemplateId: roleTemplateIds.privilegedAuthenticationAdministrator,
        missingScope: error.details?.missingScope ?? null,
      },
      cause: error,
    });
  }
  if (error.code === 'graph.not-found') {
    return new AppError('enrollment.user-not-found', { details: { userId: context.userId }, cause: error });
  }
  const raw = error.details?.graphMessage;
  const message = typeof raw === 'string' ? raw : '';
  if ((error.code === 'graph.conflict' || error.code === 'graph.bad-request') && /same value/i.test(message)) {
    return new AppError('enrollment.uniqueness-conflict', {
      details: { userId: context.userId, values: [...(context.values ?? [])], conflicts: [] },
      cause: error,
    });
  }
  return error;
}
