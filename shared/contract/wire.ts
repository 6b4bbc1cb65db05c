import { z } from 'zod';
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

/** Upper bound on one WebSocket frame; no channel needs more (certificates are a few KB). */
export const maxWireMessageBytes = 1024 * 1024;
