/**
 * Known IGC-Santé CAs (fingerprints, CRL URLs) — the schema of `resources/known-cas.json`.
 *
 * The file is read by the host (it is I/O); this module validates it and answers questions about it.
 */
import { z } from 'zod';

const hex = (length: number) => z.string().regex(new RegExp(`^[0-9A-F]{${length}}$`));

/** One known CA. */
export const knownCaSchema = z.object({
  name: z.string().min(1),
  subject: z.string().min(1),
  environment: z.enum(['prod', 'test']),
  role: z.enum(['root', 'intermediate']),
  level: z.enum(['fort', 'standard', 'elementaire']),
  population: z.enum(['personnes', 'organisations']).nullable(),
  issuesCards: z.boolean(),
  sha256: hex(64).nullable(),
  sha1: hex(40).nullable(),
  notAfter: z.iso.datetime().nullable(),
  crlUrl: z.url(),
  crlUrlSource: z.enum(['domain-doc', 'ca-certificate', 'end-entity-certificate', 'inferred']),
});

/** The whole file. */
export const knownCasFileSchema = z.object({
  version: z.literal(1),
  note: z.string(),
  cas: z.array(knownCaSchema).min(1),
  flaggedCrlUrls: z.array(
    z.object({
      url: z.url(),
      belongsTo: z.string(),
      severity: z.enum(['warning', 'error']),
      reason: z.string(),
      explanation: z.string(),
    }),
  ),
  policyOids: z.record(z.string(), z.string()),
  legacyIssuerPatterns: z.array(z.string()),
});

/** A known CA entry. */
export type KnownCa = z.infer<typeof knownCaSchema>;

/** The validated file. */
export type KnownCas = z.infer<typeof knownCasFileSchema>;

/** Validate the parsed JSON of `cas.json`; throws a ZodError describing the first problems. */
export function parseKnownCas(value: unknown): KnownCas {
  return knownCasFileSchema.parse(value);
}

/** The known CA whose SHA-256 fingerprint matches (hex, any case, colons allowed). */
export function findKnownCaByFingerprint(cas: KnownCas, sha256: string): KnownCa | undefined {
  const wanted = sha256.replace(/:/g, '').toUpperCase();
  return cas.cas.find((ca) => ca.sha256 === wanted);
}

/** A flag when a CRL URL configured in a tenant is known to be wrong for CPx cards. */
export function flagCrlUrl(cas: KnownCas, url: string): KnownCas['flaggedCrlUrls'][number] | undefined {
  const normalised = url.trim().toLowerCase();
  return cas.flaggedCrlUrls.find((f) => f.url.toLowerCase() === normalised);
}
