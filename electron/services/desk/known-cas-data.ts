/**
 * The shipped facts about IGC-Santé CAs (`resources/known-cas.json`), bundled into the host and the CLI.
 */
import { parseKnownCas } from '../../../shared/certificates';
import type { KnownCas } from '../../../shared/certificates';
import { AppError } from '../../../shared/errors';
import knownCasJson from '../../../resources/known-cas.json';

let cached: KnownCas | undefined;

/** The validated `known-cas.json`; `trust.known-cas-invalid` when the shipped file is malformed (a packaging bug). */
export function shippedKnownCas(): KnownCas {
  try {
    cached ??= parseKnownCas(knownCasJson);
  } catch (error) {
    throw new AppError('trust.known-cas-invalid', { cause: error });
  }
  return cached;
}
