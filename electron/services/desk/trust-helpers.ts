/**
 * Small pure helpers of the trust store: decoding an uploaded file, naming the file in errors, list rows.
 */
import type { CaDescription } from '../../../shared/certificates';
import type { CaCandidate } from '../../../shared/contract/cards';
import { MAX_TRUST_IMPORT_BYTES } from '../../../shared/contract/cards';
import { AppError } from '../../../shared/errors';

/** A CA as offered to the user before it is trusted. */
export function candidate(ca: CaDescription, isAlreadyTrusted: boolean): CaCandidate {
  return {
    sha256: ca.sha256,
    name: ca.name,
    subject: ca.subject,
    notAfter: ca.notAfter.toISOString(),
    knownName: ca.known?.name ?? null,
    isAlreadyTrusted,
  };
}

/** The bytes of a file sent as base64 over the contract, with size (CA files by default) and encoding checked. */
export function decodeBase64(fileName: string, text: string, maxBytes: number = MAX_TRUST_IMPORT_BYTES): Uint8Array {
  const clean = text.replace(/\s/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) {
    throw new AppError('trust.invalid-base64', { details: { fileName } });
  }
  const bytes = new Uint8Array(Buffer.from(clean, 'base64'));
  if (bytes.length === 0) {
    throw new AppError('trust.file-empty', { details: { fileName } });
  }
  if (bytes.length > maxBytes) {
    throw new AppError('trust.file-too-large', { details: { fileName, maxBytes } });
  }
  return bytes;
}

/** Re-throw a pure-layer error with the file name the user chose, so the message names it. */
export function withFileName(error: unknown, fileName: string, fallbackCode: string): AppError {
  if (error instanceof AppError && error.code.startsWith('trust.')) {
    return new AppError(error.code, { details: { ...(error.details ?? {}), fileName }, cause: error.cause });
  }
  return new AppError(fallbackCode, { details: { fileName }, cause: error });
}

/** An AppError as contract data, with extra details. */
export function contractError(error: AppError, extra: Record<string, unknown> = {}) {
  return { code: error.code, messageKey: error.messageKey, details: { ...(error.details ?? {}), ...extra } };
}
