import { z } from 'zod';

/** What happened; new kinds may be added (old ones are never renamed: they are inside hashed history). */
export const journalKindSchema = z.enum([
  'card-read',
  'mapping-written',
  'mapping-removed',
  'group-added',
  'group-removed',
  'enrollment-failed',
  'queued',
  'replayed',
  'replay-failed',
  'replay-abandoned',
  'export-made',
  'preview-read',
  'search-failed',
  'ad-instruction-noted',
  // A queued step claimed for one attempt (planned values), before anything is sent.
  'attempt',
  // A step queued by UPN whose account does not match the card confidently: held for the agent.
  'held-for-confirmation',
  'queue-confirmed',
  'queue-retried',
  'queue-dismissed',
]);

/** Kind of a journal entry. */
export type JournalKind = z.infer<typeof journalKindSchema>;

const text = (max: number) => z.string().min(1).max(max);
const hex = z
  .string()
  .max(512)
  .regex(/^[0-9a-fA-F]*$/, 'hexadecimal');

const jsonObject = z.record(z.string().max(128), z.json());

/** Entry as callers give it; `at` defaults to the store clock. Unknown keys are refused so the hash covers all. */
export const journalEntryInputSchema = z.strictObject({
  kind: journalKindSchema,
  agent: z.strictObject({ upn: text(256), oid: text(128), tenantId: text(128) }),
  at: z.iso.datetime({ offset: true }).optional(),
  card: z
    .strictObject({ cardNumber: text(64), identifier: text(64), serialHex: hex, skiHex: hex })
    .partial({ serialHex: true, skiHex: true })
    .optional(),
  user: z.strictObject({ id: text(128), upn: text(256) }).optional(),
  details: jsonObject.default({}),
});

/** Input of `journal.append`. */
export type JournalEntryInput = z.input<typeof journalEntryInputSchema>;

/** A stored entry: the validated input plus its sequence number (which is inside the hashed text). */
export const journalEntrySchema = journalEntryInputSchema.extend({
  seq: z.number().int().positive(),
  at: z.iso.datetime({ offset: true }),
});

/** An entry read back from the journal. */
export type JournalEntry = z.infer<typeof journalEntrySchema>;

/** Largest canonical entry accepted (keeps one runaway `details` from bloating the journal). */
export const MAX_ENTRY_BYTES = 64 * 1024;
