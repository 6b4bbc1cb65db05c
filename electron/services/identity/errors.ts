/**
 * Maps MSAL failures to the identity service's stable `AppError` codes.
 */
import { AuthError, InteractionRequiredAuthError } from '@azure/msal-node';
import { AppError } from '../../../shared/errors';

/** The closed set of codes this service throws. */
export type IdentityErrorCode =
  | 'identity.failed'
  | 'identity.tenant-not-found'
  | 'identity.offline'
  | 'identity.no-account'
  | 'identity.cache-protection'
  | 'identity.interaction-required'
  | 'identity.consent-required'
  | 'identity.device-code-expired'
  | 'identity.cancelled'
  | 'identity.timeout';

const networkPattern =
  /network|ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|timed out|post_request_failed|get_request_failed/i;

/** True when an MSAL (or network module) failure means the authority could not be reached. */
export function isNetworkFailure(error: unknown): boolean {
  if (error instanceof AuthError) {
    return networkPattern.test(`${error.errorCode} ${error.errorMessage}`);
  }
  return error instanceof Error && networkPattern.test(`${(error as { code?: string }).code ?? ''} ${error.message}`);
}

/**
 * Translates an MSAL error. `scopes` and `claims` travel in the details so the UI can ask for exactly those again
 * (incremental consent, conditional-access step-up).
 */
export function mapMsalError(error: unknown, scopes: readonly string[], claims?: string): unknown {
  if (error instanceof AppError) {
    return error;
  }
  const challenge = claims === undefined ? {} : { claims };
  if (error instanceof InteractionRequiredAuthError) {
    const consent = /AADSTS65001|consent_required/.test(`${error.errorMessage} ${error.subError}`);
    return new AppError(consent ? 'identity.consent-required' : 'identity.interaction-required', {
      details: { scopes: [...scopes], ...challenge },
      cause: error,
    });
  }
  if (error instanceof AuthError) {
    if (error.errorCode === 'access_denied' || error.errorMessage.includes('AADSTS65004')) {
      return new AppError('identity.cancelled', { cause: error });
    }
    if (error.errorCode === 'device_code_polling_cancelled') {
      return new AppError('identity.cancelled', { cause: error });
    }
    if (error.errorCode === 'user_timeout_reached') {
      return new AppError('identity.timeout', { cause: error });
    }
    if (/expired_token|AADSTS70020|device_code_expired/.test(`${error.errorCode} ${error.errorMessage}`)) {
      return new AppError('identity.device-code-expired', { cause: error });
    }
    if (isNetworkFailure(error)) {
      return new AppError('identity.offline', { details: { msal: error.errorCode }, cause: error });
    }
    return new AppError('identity.failed', { details: { msal: error.errorCode }, cause: error });
  }
  if (isNetworkFailure(error)) {
    return new AppError('identity.offline', { cause: error });
  }
  return error;
}
