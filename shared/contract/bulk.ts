import { z } from 'zod';
import { contractErrorSchema } from './envelope';

/** Bulk enrollment from a CSV (user; certificate as file path, PEM or base64). */

export const bulkCsvInputSchema = z
  .object({
    csvText: z
      .string()
      .min(1)
      .max(5 * 1024 * 1024),
  })
  .strict();

export const bulkPreviewRowSchema = z.object({
  line: z.number().int(),
  user: z.string(),
  holder: z.string().nullable(),
  values: z.array(z.string()),
  error: contractErrorSchema.nullable(),
});
export type BulkPreviewRow = z.infer<typeof bulkPreviewRowSchema>;

export const bulkPreviewSchema = z.object({
  rows: z.array(bulkPreviewRowSchema),
  /** A problem with the whole file (empty, missing column…); rows are then empty. */
  fileError: contractErrorSchema.nullable(),
});
export type BulkPreview = z.infer<typeof bulkPreviewSchema>;

export const bulkResultRowSchema = z.object({
  line: z.number().int(),
  user: z.string(),
  status: z.enum(['written', 'unchanged', 'synced-user', 'failed', 'skipped']),
  values: z.array(z.string()),
  error: contractErrorSchema.nullable(),
});
export type BulkResultRow = z.infer<typeof bulkResultRowSchema>;

export const bulkProgressSchema = z.object({ jobId: z.string(), done: z.number().int(), total: z.number().int() });
export const bulkFinishedSchema = z.object({
  jobId: z.string(),
  isCancelled: z.boolean(),
  results: z.array(bulkResultRowSchema),
  /** The per-row results file (CSV, `;`, BOM for Excel). */
  resultsCsv: z.string(),
});
export type BulkFinished = z.infer<typeof bulkFinishedSchema>;
