/**
 * Public API of the pure card logic: ATR classification, learned-path cache and the CPx reader.
 */
export type { ApduTransport } from './transport';
export { classifyAtr, parseAtr, type CardGeneration, type CardInterface, type AtrClassification } from './atr';
export {
  createMemoryPathCache,
  learnedPathSchema,
  parseLearnedPath,
  type LearnedPath,
  type LearnedPathCache,
} from './path-cache';
export {
  readCpxCard,
  parseCardNumber,
  DEFAULT_MAX_APDUS,
  DISCOVERY_APDU_TARGET,
  CPS4_PKI_AID,
  EF_SN_ICC_PATH,
  type CardReadResult,
  type CertificateRole,
  type ReadCpxCardOptions,
} from './reader';
export type { CardErrorCode } from './errors';
