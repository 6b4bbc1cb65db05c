/**
 * The shipped facts about IGC-Santé CAs (`resources/known-cas.json`), bundled into the host and the CLI.
 */
import { parseKnownCas } from '../../../shared/certificates';
import type { KnownCas } from '../../../shared/certificates';
import knownCasJson from '../../../resources/known-cas.json';

let cached: KnownCas | undefined;

/** The validated `known-cas.json`; throws a ZodError when the shipped file is malformed (a packaging bug). */
export function shippedKnownCas(): KnownCas {
  cached ??= parseKnownCas(knownCasJson);
  return cached;
}
