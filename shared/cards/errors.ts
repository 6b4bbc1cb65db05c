/**
 * Card error codes and helpers.
 *
 * Every failure of the card reader ends in one of these codes (or a transport error passed through untouched).
 */
import { AppError } from '../errors';
import { formatSw } from './apdu';

/** Closed set of codes raised by the pure card logic. */
export type CardErrorCode =
  | 'card.unknown'
  | 'card.contactless'
  | 'card.no-auth-certificate'
  | 'card.corrupt-certificate'
  | 'card.protocol'
  | 'card.channel-unsupported'
  | 'card.aborted';

/** Build a typed card error. */
export function cardError(code: CardErrorCode, details?: Record<string, unknown>, cause?: unknown): AppError {
  return new AppError(code, { details, cause });
}

/** `card.protocol` for an unexpected status word at a given step. */
export function protocolError(step: string, sw: number | null, reason?: string): AppError {
  return cardError('card.protocol', {
    step,
    sw: sw === null ? null : formatSw(sw),
    ...(reason === undefined ? {} : { reason }),
  });
}

/** True for a `card.protocol` error carrying this status word. */
export function isSwError(error: unknown, sw: number): boolean {
  return error instanceof AppError && error.code === 'card.protocol' && error.details?.sw === formatSw(sw);
}
