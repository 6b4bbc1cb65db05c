/**
 * Deterministic fault injection for the Graph emulator: per-route rules drawn with a seeded PRNG, so a failing test
 * replays exactly.
 */

/** Kinds of injected faults. */
export type FaultKind =
  | 'latency'
  | 'throttle'
  | 'throttle-no-retry-after'
  | 'server-error'
  | 'bad-gateway'
  | 'gateway-timeout'
  | 'unavailable'
  | 'claims'
  | 'reset'
  /** The request is applied, then the connection is reset before the reply: the client cannot know it succeeded. */
  | 'reset-after-apply';

/** One fault rule; `route` is a regular expression on `METHOD /path` (path without version prefix). */
export type FaultRule = {
  readonly kind: FaultKind;
  readonly route?: RegExp;
  /** Probability per matching request (default 1). */
  readonly probability?: number;
  /** Stop after this many injections (default unlimited). */
  readonly times?: number;
  readonly retryAfterSeconds?: number;
  readonly latencyMs?: number;
  /** For `claims`: the auth context value the token must carry (`acrs`). */
  readonly acrs?: string;
};

/** mulberry32: small, fast, deterministic. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A decided fault for one request. */
export type FaultDecision = { readonly rule: FaultRule } | undefined;

/** Holds the rules and their counters; `decide` is called once per request. */
export class FaultInjector {
  private rules: { rule: FaultRule; used: number }[] = [];
  private random: () => number;
  /** Injections so far, in order (tests assert on them). */
  readonly log: { kind: FaultKind; route: string; at: number }[] = [];

  constructor(seed = 1) {
    this.random = seededRandom(seed);
  }

  /** Replaces the rules (and reseeds when asked). */
  set(rules: readonly FaultRule[], seed?: number): void {
    this.rules = rules.map((rule) => ({ rule, used: 0 }));
    if (seed !== undefined) {
      this.random = seededRandom(seed);
    }
    this.log.length = 0;
  }

  /** Picks the first matching rule that fires for this request (at most one fault per request, plus latency). */
  decide(routeKey: string, now: number): { latencyMs: number; fault: FaultRule | undefined } {
    let latencyMs = 0;
    let fault: FaultRule | undefined;
    for (const entry of this.rules) {
      const { rule } = entry;
      if (rule.route && !rule.route.test(routeKey)) {
        continue;
      }
      if (rule.times !== undefined && entry.used >= rule.times) {
        continue;
      }
      if (this.random() >= (rule.probability ?? 1)) {
        continue;
      }
      if (rule.kind === 'latency') {
        latencyMs += rule.latencyMs ?? 50;
        entry.used++;
        continue;
      }
      if (!fault) {
        fault = rule;
        entry.used++;
        if (this.log.length < 100_000) {
          this.log.push({ kind: rule.kind, route: routeKey, at: now });
        }
      }
    }
    return { latencyMs, fault };
  }
}
