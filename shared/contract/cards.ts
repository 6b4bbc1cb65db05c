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
  identifier: z.object({ type: z.enum(['rpps', 'adeli', 'finess', 'siret', 'unknown']), value: z.string() }).nullable(),
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
]);
export type DemoCardProfile = z.infer<typeof demoCardProfileSchema>;
