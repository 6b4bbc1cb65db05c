/**
 * JSON batching with per-item retry: chunks of at most 20 requests; items that failed in a retryable way (same
 * rules as single requests: reads on 429/5xx, writes only on 429 or 503 with Retry-After) are resent alone, after
 * the longest Retry-After among them, within the retry budget.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { mapGraphFailure } from './errors';
import type { Clock } from './middleware';
import type { RetrySettings } from './retry-policy';
import { decideRetry, parseRetryAfter } from './retry-policy';

/** One request in a batch (URL relative to the version, e.g. `/users/{id}`). */
export type BatchItem = {
  readonly id?: string;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly dependsOn?: readonly string[];
};

/** The final outcome of one item. */
export type BatchResult = {
  readonly id: string;
  readonly status: number;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
  /** Mapped error for non-2xx items. */
  readonly error?: AppError;
};

const responseSchema = z.object({
  responses: z.array(
    z.object({
      id: z.string(),
      status: z.number().int(),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.unknown().optional(),
    }),
  ),
});

/** Decoded claims of an `insufficient_claims` challenge, if the header carries one. */
function claimsOf(header: string | undefined): string | undefined {
  if (!header?.includes('error="insufficient_claims"')) {
    return undefined;
  }
  const raw = /claims="([^"]+)"/.exec(header)?.[1];
  return raw === undefined ? undefined : Buffer.from(raw, 'base64').toString('utf8');
}

/** Maximum requests per batch (Graph limit). */
export const maxBatchSize = 20;

/** Runs items through `$batch`. */
export async function runBatch(input: {
  readonly items: readonly BatchItem[];
  /** Sends one `$batch`; `claims` asks for a token answering a claims challenge first. */
  readonly send: (body: unknown, idempotent: boolean, claims?: string) => Promise<unknown>;
  readonly clock: Clock;
  readonly random: () => number;
  readonly retry: RetrySettings;
  /** `false`: a failed write item is never resent inside the batch; its result carries the error. */
  readonly retryWrites: boolean;
}): Promise<BatchResult[]> {
  const withIds = input.items.map((item, i) => ({ ...item, id: item.id ?? String(i + 1) }));
  const results = new Map<string, BatchResult>();
  for (let start = 0; start < withIds.length; start += maxBatchSize) {
    let pending = withIds.slice(start, start + maxBatchSize);
    // Claims of a challenge met inside an item: answered once, like single requests (then the item fails).
    let claims: string | undefined;
    let claimsAnswered = false;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const pendingIds = new Set(pending.map((p) => p.id));
      const body = {
        requests: pending.map((p) => ({
          id: p.id,
          method: p.method,
          url: p.url,
          // Items do not inherit the outer request's headers: each asks for evolvable enum members itself.
          headers: {
            Prefer: 'include-unknown-enum-members',
            ...(p.body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(p.headers ?? {}),
          },
          ...(p.body === undefined ? {} : { body: p.body }),
          ...(p.dependsOn ? { dependsOn: p.dependsOn.filter((d) => pendingIds.has(d)) } : {}),
        })),
      };
      const allReads = pending.every((p) => p.method === 'GET');
      const parsed = responseSchema.safeParse(await input.send(body, allReads, claimsAnswered ? claims : undefined));
      if (!parsed.success) {
        throw new AppError('graph.bad-request', {
          details: { reason: 'invalid-batch-reply', issues: parsed.error.issues.length },
        });
      }
      const retryNext: typeof pending = [];
      let delayMs = 0;
      const answeringNow = claimsAnswered;
      for (const item of pending) {
        const r = parsed.data.responses.find((x) => x.id === item.id);
        const status = r?.status ?? 424;
        const headers = Object.fromEntries(Object.entries(r?.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
        const retryAfterSeconds = parseRetryAfter(headers['retry-after'], input.clock.now());
        const challenge = status === 401 ? claimsOf(headers['www-authenticate']) : undefined;
        if (challenge !== undefined && !answeringNow) {
          claims ??= challenge;
          claimsAnswered = true;
          retryNext.push(item);
          continue;
        }
        const decision =
          status === 424 && item.dependsOn?.some((d) => retryNext.some((x) => x.id === d))
            ? ({ retry: true, delayMs: 0 } as const)
            : status >= 400
              ? decideRetry({
                  idempotent: item.method === 'GET',
                  outcome: { kind: 'response', status, retryAfterSeconds },
                  attempt,
                  settings: input.retry,
                  random: input.random,
                  retryWrites: input.retryWrites,
                })
              : ({ retry: false } as const);
        if (decision.retry) {
          retryNext.push(item);
          delayMs = Math.max(delayMs, decision.delayMs);
          continue;
        }
        const errorBody = r?.body as
          { error?: { code?: string; message?: string; innerError?: Record<string, string> } } | undefined;
        results.set(item.id, {
          id: item.id,
          status,
          body: r?.body,
          headers,
          ...(status >= 400
            ? {
                error: mapGraphFailure({
                  status,
                  graphCode: errorBody?.error?.code,
                  message: errorBody?.error?.message,
                  requestId: headers['request-id'] ?? errorBody?.error?.innerError?.['request-id'],
                  clientRequestId: headers['client-request-id'] ?? randomUUID(),
                  retryAfterSeconds,
                  method: item.method,
                  path: item.url,
                  claimsChallenge: challenge !== undefined,
                  ...(challenge === undefined ? {} : { claims: challenge }),
                }),
              }
            : {}),
        });
      }
      pending = retryNext;
      if (pending.length > 0 && delayMs > 0) {
        await input.clock.sleep(delayMs);
      }
    }
  }
  return withIds.map((i) => results.get(i.id) ?? { id: i.id, status: 424, body: undefined, headers: {} });
}
