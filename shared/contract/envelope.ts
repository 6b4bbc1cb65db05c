import { z } from 'zod';

/** The error half of every reply: a stable code, an i18n key, optional structured details. Never a stack trace. */
export const contractErrorSchema = z.object({
  code: z.string().min(1),
  messageKey: z.string().min(1),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ContractError = z.infer<typeof contractErrorSchema>;

/** A reply as it crosses the boundary. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ContractError };

/** Schema of a reply whose value is checked with `value`. */
export function resultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: contractErrorSchema }),
  ]);
}

export function okResult<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function errorResult(code: string, messageKey: string, details?: Record<string, unknown>): Result<never> {
  return details === undefined
    ? { ok: false, error: { code, messageKey } }
    : { ok: false, error: { code, messageKey, details } };
}

/** Codes the contract layer itself produces, before any service runs. */
export const contractErrorCodes = {
  unknownChannel: 'contract.unknown-channel',
  invalidInput: 'contract.invalid-input',
  invalidOutput: 'contract.invalid-output',
  invalidMessage: 'contract.invalid-message',
  disconnected: 'contract.disconnected',
  /** An IPC message from a frame that is not our own renderer's top frame. */
  untrustedSender: 'contract.untrusted-sender',
  /** The host did not answer a call in time (browser shell's WebSocket). */
  timeout: 'contract.timeout',
  /** Too many calls in flight on one browser-shell connection: this one was refused without running. */
  busy: 'contract.busy',
  /** A browser-shell message over the wire limit (WebSocket close 1009, or refused before sending). */
  tooLarge: 'contract.too-large',
  internal: 'internal',
} as const;
