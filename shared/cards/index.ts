/**
 * Public API of the pure card logic: ATR classification, learned-path cache and the CPx reader.
 */
export type { ApduTransport } from './transport';
export { classifyAtr, parseAtr, type CardGeneration, type CardInterface, type AtrClassification } from './atr';
export { createMemoryPathCache, learnedPathSchema, type LearnedPath, type LearnedPathCache } from './path-cache';
export {
  readCpxCard,
  parseCardNumber,
  DEFAULT_MAX_APDUS,
  type CardReadResult,
  type CertificateRole,
  type ReadCpxCardOptions,
} from './reader';
export type { CardErrorCode } from './errors';
