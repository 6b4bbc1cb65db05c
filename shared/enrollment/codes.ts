/**
 * Error codes of the enrollment logic (closed union) and the typed refusal it returns before anything is sent.
 *
 * Pure functions return refusals as data so the caller can show them without a try/catch; `toAppError` turns one
 * into the `AppError` that crosses the contract boundary.
 */
import { AppError } from '../errors';

/** Every code the enrollment logic can produce. */
export type EnrollmentErrorCode =
  | 'enrollment.invalid-identifier-attribute'
  | 'enrollment.no-search-criteria'
  | 'enrollment.invalid-directory-user'
  | 'enrollment.crypto-unavailable'
  | 'mapping.limit-exceeded'
  | 'mapping.value-too-long'
  | 'mapping.invalid-value'
  | 'mapping.concurrent-change'
  | 'mapping.concurrent-change-unresolved'
  | 'mapping.synced-user'
  | 'bulk.csv-empty'
  | 'bulk.csv-too-large'
  | 'bulk.csv-unterminated-quote'
  | 'bulk.csv-missing-column'
  | 'bulk.too-many-rows'
  | 'bulk.row-column-count'
  | 'bulk.row-invalid-user'
  | 'bulk.row-invalid-certificate';

/** A decision not to proceed, as data. */
export type Refusal = { readonly code: EnrollmentErrorCode; readonly details: Readonly<Record<string, unknown>> };

/** Convert a refusal into the `AppError` thrown across the service boundary. */
export function toAppError(refusal: Refusal): AppError {
  return new AppError(refusal.code, { details: { ...refusal.details } });
}
