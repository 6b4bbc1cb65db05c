import { z } from 'zod';
import { contractErrorSchema } from './envelope';

/** Card-desk shapes: readers, read results and the computed `certificateUserIds` values. */

export const cardGenerationSchema = z.enum(['cps3', 'cps3-contactless', 'cps4', 'unknown']);

export const readerSchema = z.object({
  name: z.string(),
  card: z
    .object({
      atr: z.string(),
      generation: cardGenerationSchema,
      interface: z.enum(['contact', 'contactless', 'unknown']),
    })
    .nullable(),
  reading: z.boolean(),
});
export type ReaderView = z.infer<typeof readerSchema>;

export const cardServiceStateSchema = z.enum(['idle', 'ready', 'pcsc-unavailable', 'pcsc-service-down', 'stopped']);

export const mappingFormSchema = z.enum([
  'PrincipalName',
  'RFC822Name',
  'IssuerAndSubject',
  'Subject',
  'SKI',
  'SHA1PublicKey',
  'IssuerAndSerialNumber',
]);
export type MappingFormName = z.infer<typeof mappingFormSchema>;

export const mappingValueSchema = z.object({
  form: mappingFormSchema,
  value: z.string().nullable(),
  affinity: z.enum(['low', 'high']),
  isRecommended: z.boolean(),
  isRisky: z.boolean(),
  isAmbiguous: z.boolean(),
});
export type MappingValueView = z.infer<typeof mappingValueSchema>;

/** An explicit pass/fail check of the authentication certificate (EKU clientAuth, SAN UPN). */
export const certificateCheckSchema = z.object({
  id: z.enum(['client-auth-eku', 'upn-present']),
  passed: z.boolean(),
  /** Values of the explanation's placeholders (`desk.checks.<id>.pass|fail`). */
  values: z.record(z.string(), z.string()),
  /** A third wording beside pass/fail (`desk.checks.<id>.unrestricted`): no EKU extension, any purpose allowed. */
  variant: z.enum(['unrestricted']).optional(),
});
export type CertificateCheckView = z.infer<typeof certificateCheckSchema>;

export const cardReportSchema = z.object({
  reader: z.string(),
  generation: cardGenerationSchema,
  cardNumber: z.string().nullable(),
  apdus: z.number().int().nonnegative(),
  durationMs: z.number().nonnegative(),
  kind: z.enum(['cpx-auth', 'cpx-signature', 'cpx-technical', 'legacy', 'other']),
  holder: z.object({
    surname: z.string().nullable(),
    givenName: z.string().nullable(),
    commonName: z.string().nullable(),
  }),
  profession: z.string().nullable(),
  identifier: z
    .object({
      type: z.enum(['rpps', 'adeli', 'finess', 'siret', 'unknown']),
      value: z.string(),
      /** CPE/CPA (`3<FINESS>/<staff number>`): the structure's FINESS and the structure-internal staff number. */
      structureId: z.string().optional(),
      staffNumber: z.string().optional(),
    })
    .nullable(),
  cardType: z.enum(['CPS', 'CPF', 'CPE', 'CPA']).nullable(),
  isTestCard: z.boolean(),
  upn: z.string().nullable(),
  issuer: z.string(),
  validity: z.object({
    notBefore: z.string(),
    notAfter: z.string(),
    status: z.enum(['valid', 'expired', 'not-yet-valid']),
    daysLeft: z.number().int(),
  }),
  chain: z.enum(['valid', 'untrusted', 'invalid-signature', 'ca-expired', 'unknown']),
  revocation: z.enum(['good', 'revoked', 'unknown-no-crl', 'crl-expired']),
  /** Explicit checks; optional so reports built before the checks existed still parse. */
  checks: z.array(certificateCheckSchema).optional(),
  mappings: z.array(mappingValueSchema),
});
export type CardReport = z.infer<typeof cardReportSchema>;

export const cardsStatusSchema = z.object({
  state: cardServiceStateSchema,
  /** Why PC/SC is not usable, with the exact fix in `details.fix`. */
  problem: contractErrorSchema.nullable(),
  readers: z.array(readerSchema),
  /** The report of each card currently in a reader, so a window opened later shows the card in hand. */
  reports: z.array(cardReportSchema),
});
export type CardsStatus = z.infer<typeof cardsStatusSchema>;

export const readFailureSchema = z.object({
  reader: z.string(),
  error: contractErrorSchema,
  willRetryOnReinsert: z.boolean(),
});
export type ReadFailure = z.infer<typeof readFailureSchema>;

/** Virtual cards the demo can insert. */
export const demoCardProfileSchema = z.enum([
  'cps3',
  'cps4',
  'cps3-contactless',
  'signature-only',
  'corrupt-certificate',
  'revoked',
  'unknown',
  'pulled-mid-read',
  'stalled',
]);
export type DemoCardProfile = z.infer<typeof demoCardProfileSchema>;

/** Largest file the renderer may send for an import (base64 inflates by 4/3; the wire carries 1 MB at most). */
export const MAX_TRUST_IMPORT_BYTES = 512 * 1024;

/**
 * Largest CRL file the renderer may send for a manual import. CRLs of the big IGC-Santé CAs outgrow the 512 KB of a CA
 * file (downloads accept up to 32 MB). Its base64 (≈ 11.2 MB, one byte per character once framed: base64 is never
 * escaped in JSON) fits the browser shell's wire message (`maxWireMessageBytes`, ≈ 30 MiB).
 */
export const MAX_CRL_IMPORT_BYTES = 8 * 1024 * 1024;

/** Longest base64 text for a file of `maxBytes` (4/3 inflation and padding, with a little slack). */
export function maxBase64Chars(maxBytes: number): number {
  return Math.ceil(maxBytes / 3) * 4 + 4;
}

/** Where a trusted CA comes from: a shipped IGC-Santé fingerprint, an explicit confirmation, or nowhere (ignored). */
export const trustedCaOriginSchema = z.enum(['known', 'manual', 'unapproved']);

/** One CA of the trust store, as listed in Paramètres. */
export const trustedCaViewSchema = z.object({
  sha256: z.string(),
  name: z.string(),
  subject: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  validity: z.enum(['valid', 'expired', 'not-yet-valid']),
  isSelfSigned: z.boolean(),
  origin: trustedCaOriginSchema,
  /** The shipped IGC-Santé name when the fingerprint is known. */
  knownName: z.string().nullable(),
  environment: z.enum(['prod', 'test']).nullable(),
  /** Where "Mettre à jour les CRL" downloads this CA's CRL from (known CAs only). */
  crlUrl: z.string().nullable(),
  /** False when the CRL address is inferred by analogy, not read from a certificate or ANS documentation. */
  crlUrlVerified: z.boolean().optional(),
  /** Demo mode's TEST PKI, trusted by the card checks while the demo runs: listed, never removable. */
  isDemo: z.boolean().optional(),
});
export type TrustedCaView = z.infer<typeof trustedCaViewSchema>;

/** One CRL kept for offline use. */
export const crlViewSchema = z.object({
  id: z.string(),
  issuer: z.string(),
  issuerName: z.string(),
  thisUpdate: z.string(),
  nextUpdate: z.string().nullable(),
  isStale: z.boolean(),
  revokedCount: z.number().int().nonnegative(),
  /** Demo mode's CRL (the demo CA's), used by the card checks while the demo runs. */
  isDemo: z.boolean().optional(),
});
export type CrlView = z.infer<typeof crlViewSchema>;

/** The whole trust store. */
export const trustStoreViewSchema = z.object({ cas: z.array(trustedCaViewSchema), crls: z.array(crlViewSchema) });
export type TrustStoreView = z.infer<typeof trustStoreViewSchema>;

const fileInputSchemaOf = (maxBytes: number) =>
  z
    .object({
      fileName: z.string().min(1).max(255),
      contentBase64: z.string().min(1).max(maxBase64Chars(maxBytes)),
    })
    .strict();
const fileInputSchema = fileInputSchemaOf(MAX_TRUST_IMPORT_BYTES);

/** Import CA certificates from a DER, PEM or .p7b file; unknown CAs need `confirmUnknown`. */
export const caImportInputSchema = fileInputSchema.extend({ confirmUnknown: z.boolean() }).strict();
export type CaImportInput = z.infer<typeof caImportInputSchema>;

/** Import one CRL file (DER or PEM). */
export const crlImportInputSchema = fileInputSchemaOf(MAX_CRL_IMPORT_BYTES);
export type CrlImportInput = z.infer<typeof crlImportInputSchema>;

/** A CA found in an import file, before it is trusted. */
export const caCandidateSchema = z.object({
  sha256: z.string(),
  name: z.string(),
  subject: z.string(),
  notAfter: z.string(),
  knownName: z.string().nullable(),
  isAlreadyTrusted: z.boolean(),
});
export type CaCandidate = z.infer<typeof caCandidateSchema>;

/** Outcome of a CA import: done, or waiting for the user to confirm the unknown CAs the file holds. */
export const caImportOutcomeSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('imported'),
    added: z.array(caCandidateSchema),
    alreadyTrusted: z.array(caCandidateSchema),
    store: trustStoreViewSchema,
  }),
  z.object({ status: z.literal('needs-confirmation'), candidates: z.array(caCandidateSchema) }),
]);
export type CaImportOutcome = z.infer<typeof caImportOutcomeSchema>;

/** Outcome of "Mettre à jour les CRL": one line per trusted CA. */
export const crlUpdateOutcomeSchema = z.object({
  results: z.array(
    z.object({
      sha256: z.string(),
      name: z.string(),
      url: z.string().nullable(),
      ok: z.boolean(),
      nextUpdate: z.string().nullable(),
      error: contractErrorSchema.nullable(),
    }),
  ),
  store: trustStoreViewSchema,
});
export type CrlUpdateOutcome = z.infer<typeof crlUpdateOutcomeSchema>;
