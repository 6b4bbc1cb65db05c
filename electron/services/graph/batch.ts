/**
 * JSON batching with per-item retry: chunks of at most 20 requests; items that failed in a retryable way (same
 * rules as single requests: reads on 429/5xx, writes only on 429 or 503 with Retry-After, never with
 * `retryWrites: false`) are resent in a later round once their own Retry-After or backoff has elapsed, within the
 * retry budget. Conditional-access items go at most one per round, each round taking the tenant's CA pacer slot:
 * Graph serves those about once a second per tenant, items of one batch included.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import type { CaPacer } from './ca-pacer';
import { isConditionalAccessPath } from './ca-pacer';
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

/** An item still to be sent, with its own retry state. */
type Pending = BatchItem & {
  readonly id: string;
  readonly ca: boolean;
  attempts: number;
  /** Clock time before which it must not be resent (its Retry-After or backoff). */
  notBefore: number;
};

/** Drops chosen items whose pending dependencies are not chosen too (they cannot go in this round). */
function closeOverDependencies(chosen: Set<string>, pending: ReadonlyMap<string, Pending>): void {
  for (let changed = true; changed;) {
    changed = false;
    for (const id of chosen) {
      if (pending.get(id)?.dependsOn?.some((d) => pending.has(d) && !chosen.has(d))) {
        chosen.delete(id);
        changed = true;
      }
    }
  }
}

/** The items of the next round: every ready item, but at most one conditional-access item. */
function selectRound(pending: readonly Pending[], now: number): Set<string> {
  const byId = new Map(pending.map((p) => [p.id, p]));
  const ready = pending.filter((p) => p.notBefore <= now);
  const others = ready.filter((p) => !p.ca).map((p) => p.id);
  for (const ca of ready.filter((p) => p.ca)) {
    const chosen = new Set([...others, ca.id]);
    closeOverDependencies(chosen, byId);
    if (chosen.has(ca.id)) {
      return chosen;
    }
  }
  const chosen = new Set(others);
  closeOverDependencies(chosen, byId);
  return chosen;
}

type ItemReply = { id: string; status: number; headers?: Record<string, string> | undefined; body?: unknown };

/** The final result of an item (error mapped for non-2xx). */
function finalResult(item: Pending, r: ItemReply | undefined, now: number): BatchResult {
  const status = r?.status ?? 424;
  const headers = Object.fromEntries(Object.entries(r?.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const challenge = status === 401 ? claimsOf(headers['www-authenticate']) : undefined;
  const errorBody = r?.body as
    { error?: { code?: string; message?: string; innerError?: Record<string, string> } } | undefined;
  return {
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
            retryAfterSeconds: parseRetryAfter(headers['retry-after'], now),
            method: item.method,
            path: item.url,
            claimsChallenge: challenge !== undefined,
            ...(challenge === undefined ? {} : { claims: challenge }),
          }),
        }
      : {}),
  };
}

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
  /** The tenant's conditional-access pacer (shared with single requests), and its interval. */
  readonly caPacer: CaPacer;
  readonly caIntervalMs: number;
}): Promise<BatchResult[]> {
  const withIds = input.items.map((item, i) => ({ ...item, id: item.id ?? String(i + 1) }));
  const results = new Map<string, BatchResult>();
  for (let start = 0; start < withIds.length; start += maxBatchSize) {
    let pending: Pending[] = withIds
      .slice(start, start + maxBatchSize)
      .map((item) => ({ ...item, ca: isConditionalAccessPath(item.url), attempts: 0, notBefore: 0 }));
    // Claims of a challenge met inside an item: answered once, like single requests (then the item fails).
    let claims: string | undefined;
    let claimsAnswered = false;
    // Every round sends at least one item and every item is sent a bounded number of times: this is a safety net.
    const roundLimit = pending.length * (input.retry.maxAttempts + 2) + 2;
    for (let round = 0; pending.length > 0; round++) {
      if (round >= roundLimit) {
        throw new AppError('graph.bad-request', { details: { reason: 'batch-rounds-exceeded', rounds: round } });
      }
      // A dependency that ended in failure fails its dependents, as Graph does (424), without sending them.
      for (const item of pending) {
        if (item.dependsOn?.some((d) => (results.get(d)?.status ?? 0) >= 400)) {
          results.set(item.id, finalResult(item, undefined, input.clock.now()));
        }
      }
      pending = pending.filter((p) => !results.has(p.id));
      const now = input.clock.now();
      const chosen = selectRound(pending, now);
      if (chosen.size === 0) {
        const waits = pending.filter((p) => p.notBefore > now).map((p) => p.notBefore);
        if (waits.length === 0) {
          // Only unsatisfiable dependencies are left (a cycle): fail them like Graph would.
          for (const item of pending) {
            results.set(item.id, finalResult(item, undefined, now));
          }
          break;
        }
        await input.clock.sleep(Math.min(...waits) - now);
        round--;
        continue;
      }
      const sending = pending.filter((p) => chosen.has(p.id));
      const body = {
        requests: sending.map((p) => ({
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
          ...(p.dependsOn ? { dependsOn: p.dependsOn.filter((d) => chosen.has(d)) } : {}),
        })),
      };
      const release = sending.some((p) => p.ca) ? await input.caPacer.acquire(input.caIntervalMs) : undefined;
      const allReads = sending.every((p) => p.method === 'GET');
      let reply: unknown;
      try {
        reply = await input.send(body, allReads, claimsAnswered ? claims : undefined);
      } finally {
        release?.();
      }
      const parsed = responseSchema.safeParse(reply);
      if (!parsed.success) {
        throw new AppError('graph.bad-request', {
          details: { reason: 'invalid-batch-reply', issues: parsed.error.issues.length },
        });
      }
      const answeringNow = claimsAnswered;
      const retried = new Set<string>();
      const sentAt = input.clock.now();
      for (const item of sending) {
        item.attempts++;
        const r = parsed.data.responses.find((x) => x.id === item.id);
        const status = r?.status ?? 424;
        const headers = Object.fromEntries(Object.entries(r?.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
        const retryAfterSeconds = parseRetryAfter(headers['retry-after'], sentAt);
        const challenge = status === 401 ? claimsOf(headers['www-authenticate']) : undefined;
        if (challenge !== undefined && !answeringNow) {
          claims ??= challenge;
          claimsAnswered = true;
          retried.add(item.id);
          item.notBefore = sentAt;
          continue;
        }
        if (item.ca && status === 429) {
          input.caPacer.holdOff(Math.max((retryAfterSeconds ?? 0) * 1000, input.caIntervalMs));
        }
        const decision =
          status === 424 && item.dependsOn?.some((d) => retried.has(d))
            ? ({ retry: true, delayMs: 0 } as const)
            : status >= 400
              ? decideRetry({
                  idempotent: item.method === 'GET',
                  outcome: { kind: 'response', status, retryAfterSeconds },
                  attempt: item.attempts,
                  settings: input.retry,
                  random: input.random,
                  minDelayMs: item.ca ? input.caIntervalMs : 0,
                  retryWrites: input.retryWrites,
                })
              : ({ retry: false } as const);
        if (decision.retry) {
          retried.add(item.id);
          item.notBefore = sentAt + decision.delayMs;
          continue;
        }
        results.set(item.id, finalResult(item, r, sentAt));
      }
      pending = pending.filter((p) => !results.has(p.id));
    }
  }
  return withIds.map((i) => results.get(i.id) ?? { id: i.id, status: 424, body: undefined, headers: {} });
}
