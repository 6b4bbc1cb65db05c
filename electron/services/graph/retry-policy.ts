/**
 * When to retry a Graph request, and after how long. Pure: the middleware feeds it outcomes and a random source.
 *
 * Reads retry on 429, 5xx and connection failures. Writes retry only when the request clearly was not applied:
 * 429, 503 carrying Retry-After, or a connection that never carried the request. `Retry-After` is honoured (never
 * retried earlier); otherwise exponential backoff with jitter, bounded. A caller can forbid resending a write at all
 * (`retryWrites: false`): a body computed from an earlier read must not be replayed after others may have written.
 */

/** What happened to one attempt. */
export type AttemptOutcome =
  | { readonly kind: 'response'; readonly status: number; readonly retryAfterSeconds: number | undefined }
  | {
      readonly kind: 'transport';
      readonly sent: boolean;
      /** Nobody answered at all (refused, unresolved, no route): the network or Graph is down, not flaky. */
      readonly unreachable?: boolean;
    };

/** Retry settings (all bounded). */
export type RetrySettings = {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Longest Retry-After honoured; a longer one ends the retries (the caller reports graph.throttled). */
  readonly maxRetryAfterMs: number;
  /**
   * Attempts while Graph is unreachable. Kept short: the caller (the desk's queue) takes over at once, instead of the
   * agent waiting through the whole backoff before « hors ligne » is shown.
   */
  readonly unreachableAttempts: number;
};

/** Defaults: 6 attempts (2 when unreachable), 500 ms base, 30 s cap, Retry-After up to 120 s. */
export const defaultRetrySettings: RetrySettings = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
  unreachableAttempts: 2,
};

/** A retry decision. */
export type RetryDecision = { readonly retry: false } | { readonly retry: true; readonly delayMs: number };

/** Parses `Retry-After` (delta seconds or an HTTP date) into seconds; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (!value) {
    return undefined;
  }
  if (/^\d+$/.test(value.trim())) {
    return Number(value.trim());
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - nowMs) / 1000));
}

/** Decides whether attempt number `attempt` (1-based) should be followed by another. */
export function decideRetry(input: {
  readonly idempotent: boolean;
  readonly outcome: AttemptOutcome;
  readonly attempt: number;
  readonly settings: RetrySettings;
  readonly random: () => number;
  /** Minimum backoff when no Retry-After is given (conditional access: 1 s). */
  readonly minDelayMs?: number;
  /** `false`: a write is never resent (the caller re-reads and redoes it); reads are unaffected. Default `true`. */
  readonly retryWrites?: boolean;
}): RetryDecision {
  const { outcome, settings } = input;
  if (!input.idempotent && input.retryWrites === false) {
    return { retry: false };
  }
  const budget = outcome.kind === 'transport' && outcome.unreachable === true ? settings.unreachableAttempts : Infinity;
  if (input.attempt >= Math.min(settings.maxAttempts, budget)) {
    return { retry: false };
  }
  let retryable: boolean;
  let retryAfter: number | undefined;
  if (outcome.kind === 'transport') {
    retryable = input.idempotent || !outcome.sent;
  } else {
    const s = outcome.status;
    retryAfter = outcome.retryAfterSeconds;
    if (input.idempotent) {
      retryable = s === 429 || s === 500 || s === 502 || s === 503 || s === 504;
    } else {
      retryable = s === 429 || (s === 503 && retryAfter !== undefined);
    }
  }
  if (!retryable) {
    return { retry: false };
  }
  if (retryAfter !== undefined) {
    const ms = retryAfter * 1000;
    return ms > settings.maxRetryAfterMs ? { retry: false } : { retry: true, delayMs: ms };
  }
  const exp = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (input.attempt - 1));
  // "Equal jitter": half fixed, half random — spreads clients without collapsing to zero.
  const jittered = exp / 2 + (exp / 2) * input.random();
  return { retry: true, delayMs: Math.max(input.minDelayMs ?? 0, Math.round(jittered)) };
}
