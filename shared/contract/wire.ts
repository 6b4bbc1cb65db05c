import { z } from 'zod';
import { CSV_LIMITS } from '../enrollment/csv';
import { MAX_CRL_IMPORT_BYTES, MAX_TRUST_IMPORT_BYTES, maxBase64Chars } from './cards';
import { contractErrorSchema } from './envelope';

/**
 * Messages of the browser-shell WebSocket: the same contract as Electron IPC, framed as JSON.
 */
export const wireRequestSchema = z
  .object({
    kind: z.literal('invoke'),
    id: z.number().int().nonnegative(),
    channel: z.string().max(100),
    payload: z.unknown().optional(),
  })
  .strict();
export type WireRequest = z.infer<typeof wireRequestSchema>;

export const wireReplySchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('result'),
    id: z.number().int().nonnegative(),
    result: z.discriminatedUnion('ok', [
      z.object({ ok: z.literal(true), value: z.unknown() }),
      z.object({ ok: z.literal(false), error: contractErrorSchema }),
    ]),
  }),
  z.object({ kind: z.literal('event'), event: z.string(), payload: z.unknown() }),
]);
export type WireReply = z.infer<typeof wireReplySchema>;

/**
 * Framed size of the largest pasted CSV (`bulk:preview`/`bulk:apply`): JSON.stringify writes at most 6 bytes per
 * UTF-16 code unit (`\u001f` for a control character or a lone surrogate; accented letters are 2 or 3 bytes of UTF-8).
 */
const largestCsvBytes = 6 * CSV_LIMITS.maxChars;

/** Framed size of the largest trust import (a CRL, `trust:import-crl`): base64 is ASCII, one byte per character. */
const largestImportBytes = maxBase64Chars(Math.max(MAX_CRL_IMPORT_BYTES, MAX_TRUST_IMPORT_BYTES));

/**
 * Upper bound on one WebSocket message, so that every contract-valid input fits once framed (the largest of the
 * inputs above, plus room for the envelope and the other, small fields). About 30 MiB.
 */
export const maxWireMessageBytes = Math.max(largestCsvBytes, largestImportBytes) + 64 * 1024;

/**
 * Calls one connection may have in flight at once; the next ones are answered `contract.busy` without running. The
 * renderer never gets near it (a screen makes a handful of calls); it bounds what a runaway page can pile up.
 */
export const maxInFlightPerConnection = 32;

/**
 * Bytes of request messages one connection may have in flight at once (a single message is always admitted when
 * nothing else runs, so every contract-valid input still gets through).
 */
export const maxInFlightBytesPerConnection = 64 * 1024 * 1024;
