/**
 * The virtual CPx card emulator: card, profiles, certificate generator, vpcd connection and in-process transport.
 */
export { VirtualCard, CardPulledError } from './card';
export type { CardAudit, CardSpec } from './card';
export type { CardBehaviour } from './commands';
export { buildCard, CARD_PROFILES, ATR, CERTIFICATE_FIDS, defaultCertsDir } from './profiles';
export type { BuiltCard, CardProfileName, ProfileOptions } from './profiles';
export {
  createTestPki,
  getSharedTestPki,
  issueCardCertificates,
  createCrl,
  DEFAULT_PRACTITIONER,
} from './certificates';
export type {
  TestPki,
  Practitioner,
  IssuedCertificate,
  CardCertificates,
  CertificateSizeOptions,
} from './certificates';
export { CPX, buildCpxFileSystem, cardNumberBcd } from './pkcs15';
export { VpcdSlot, VPCD_PORT, vpcdReaderName } from './vpcd-client';
export { createInProcessTransport, InProcessCardRemovedError } from './in-process';
