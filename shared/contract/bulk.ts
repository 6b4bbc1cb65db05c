import { z } from 'zod';
import { BULK_OUTCOMES, BULK_ROW_STATUSES } from '../enrollment/bulk-status';
import { contractErrorSchema } from './envelope';
import { languageSchema } from './schemas';

/**
 * Bulk enrollment: a CSV (user; certificate as file path, PEM or base64; optional renewal column) or a folder of
 * certificate files (user found from each certificate's SAN UPN). Preview every row against the tenant, apply as a
 * durable job (progress, cancel, pause when offline, resume — also after a restart), download per-row results.
 */

const path = z.string().min(1).max(1024);

/** Where the rows come from. */
export const bulkSourceSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('csv-text'),
      csvText: z
        .string()
        .min(1)
        .max(5 * 1024 * 1024),
      /** Name of the picked file (shown, and in the results). */
      fileName: z.string().max(260).nullable(),
      /** Folder relative certificate paths are resolved against (the CSV's folder); null: only absolute paths. */
      baseDir: path.nullable(),
    })
    .strict(),
  /** A CSV read by the app: relative certificate paths are resolved against its folder. */
  z.object({ kind: z.literal('csv-file'), path }).strict(),
  /** Every .cer/.crt/.der/.pem/.p7b/.p7c file of a folder (not recursive). */
  z.object({ kind: z.literal('folder'), path }).strict(),
]);
export type BulkSource = z.infer<typeof bulkSourceSchema>;

/** Input of `bulk:preview` and `bulk:apply`. */
export const bulkCsvInputSchema = z.object({ source: bulkSourceSchema }).strict();
export type BulkInput = z.infer<typeof bulkCsvInputSchema>;

export const bulkRowStatusSchema = z.enum(BULK_ROW_STATUSES);
export const bulkOutcomeSchema = z.enum(BULK_OUTCOMES);

/** Another account (or an earlier row of the file) holding one of the row's values. */
export const bulkConflictSchema = z.object({
  value: z.string(),
  userPrincipalName: z.string().nullable(),
  /** Set when the holder is an earlier row of this file. */
  line: z.number().int().nullable(),
});

export const bulkPreviewRowSchema = z.object({
  line: z.number().int(),
  /** `ligne 3` of the CSV, or the certificate file name of a folder import. */
  source: z.string(),
  /** The user as given (UPN or object id), or the account found from the certificate. */
  user: z.string(),
  userId: z.string().nullable(),
  userPrincipalName: z.string().nullable(),
  holder: z.string().nullable(),
  isRenewal: z.boolean(),
  status: bulkRowStatusSchema,
  /** Values the tenant's bindings will match (what apply writes). */
  values: z.array(z.string()),
  current: z.array(z.string()),
  /** The list after apply (current merged with values). */
  next: z.array(z.string()),
  /** Synced users: the values to set in Active Directory instead. */
  altSecurityIdentities: z.array(z.string()),
  conflicts: z.array(bulkConflictSchema),
  /** Value limit of the tenant (values per user). */
  maxValues: z.number().int(),
  error: contractErrorSchema.nullable(),
});
export type BulkPreviewRow = z.infer<typeof bulkPreviewRowSchema>;

export const bulkPreviewSchema = z.object({
  rows: z.array(bulkPreviewRowSchema),
  /** A problem with the whole source (empty file, missing column, unreadable folder…); rows are then empty. */
  fileError: contractErrorSchema.nullable(),
});
export type BulkPreview = z.infer<typeof bulkPreviewSchema>;

export const bulkResultRowSchema = z.object({
  line: z.number().int(),
  source: z.string(),
  user: z.string(),
  userPrincipalName: z.string().nullable(),
  status: bulkOutcomeSchema,
  values: z.array(z.string()),
  altSecurityIdentities: z.array(z.string()),
  error: contractErrorSchema.nullable(),
});
export type BulkResultRow = z.infer<typeof bulkResultRowSchema>;

export const bulkCountsSchema = z.object({
  written: z.number().int(),
  unchanged: z.number().int(),
  'synced-user': z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  pending: z.number().int(),
});

/** Why a job stopped before its end; every pause is resumable. */
export const bulkPauseSchema = z.object({
  reason: z.enum(['cancelled', 'offline', 'error', 'interrupted']),
  error: contractErrorSchema.nullable(),
});

/** A job as the panel shows it. */
export const bulkJobSchema = z.object({
  jobId: z.string(),
  state: z.enum(['running', 'paused', 'finished', 'discarded']),
  label: z.string(),
  createdAt: z.string(),
  done: z.number().int(),
  total: z.number().int(),
  counts: bulkCountsSchema,
  pause: bulkPauseSchema.nullable(),
});
export type BulkJob = z.infer<typeof bulkJobSchema>;

/** Progress after each chunk (also sent when a job starts, pauses or resumes). */
export const bulkProgressSchema = z.object({
  jobId: z.string(),
  done: z.number().int(),
  total: z.number().int(),
  job: bulkJobSchema,
});

/** Results of a job so far: every row, processed or still pending, and the CSV file of them. */
export const bulkResultsSchema = z.object({
  job: bulkJobSchema,
  results: z.array(bulkResultRowSchema),
  /** The per-row results file (CSV, `;`, BOM for Excel). */
  resultsCsv: z.string(),
});
export type BulkResults = z.infer<typeof bulkResultsSchema>;

/** A job stopped: finished, or paused (cancelled, offline, error) with every processed row in the results. */
export const bulkFinishedSchema = bulkResultsSchema.extend({
  jobId: z.string(),
  isCancelled: z.boolean(),
  isPaused: z.boolean(),
});
export type BulkFinished = z.infer<typeof bulkFinishedSchema>;

export const bulkJobIdSchema = z.object({ jobId: z.string().min(1).max(100) }).strict();

/**
 * Input of `bulk:save-results`: write the job's results file next to its source — in the CSV's folder, or in the
 * certificate folder — under a new name (never overwriting), headers and messages in `language`.
 */
export const bulkSaveResultsInputSchema = z
  .object({ jobId: z.string().min(1).max(100), sourcePath: path, language: languageSchema })
  .strict();

/** Where the results file was written. */
export const bulkSaveResultsOutputSchema = z.object({ path: z.string() });
