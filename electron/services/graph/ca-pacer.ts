/**
 * Conditional-access pacing: Graph serves about one conditional-access request per second per tenant, and its 429
 * often carries no Retry-After. One pacer per tenant for the whole process, shared by single requests, `$batch`
 * rounds and every Graph service (account) of that tenant — two accounts of one tenant share Graph's budget.
 */
import type { Clock } from './middleware';

/**
 * Pacing of one tenant's conditional-access requests: one in flight at a time, each sent at least `intervalMs` after
 * the previous one was answered. Measured from the answer, not from the send, because only then has Graph surely
 * counted the previous request: a slow TLS handshake on one request cannot bunch two arrivals together.
 */
export type CaPacer = {
  /** Waits for the tenant's turn; the returned release must be called once the request is answered (or failed). */
  acquire(intervalMs: number): Promise<() => void>;
  /** Graph throttled anyway: no request before `ms` from now. */
  holdOff(ms: number): void;
};

/** Pacers keyed by tenant id. */
export type CaPacerRegistry = {
  /** The tenant's pacer (created on first use). */
  forTenant(tenantId: string): CaPacer;
};

/** Conditional-access paths, relative to the version (`/identity/conditionalAccess/…`). */
const caRelative = /^\/?identity\/(conditionalAccess|namedLocations)(\/|\?|$)/;

/** Whether a path (relative to the version, leading slash optional) is a conditional-access resource. */
export function isConditionalAccessPath(path: string): boolean {
  return caRelative.test(path);
}

/** Longest pause a hold-off may impose (bounds a bogus Retry-After). */
const maxHoldOffMs = 120_000;

/** Creates a registry whose pacers run on `clock`. */
export function createCaPacerRegistry(clock: Clock): CaPacerRegistry {
  const pacers = new Map<string, CaPacer>();
  const create = (): CaPacer => {
    let nextSlot = 0;
    // FIFO turn-taking: each caller waits for the previous caller's release.
    let tail: Promise<void> = Promise.resolve();
    return {
      async acquire(intervalMs) {
        const previous = tail;
        let open: () => void = () => undefined;
        tail = new Promise<void>((resolve) => {
          open = resolve;
        });
        await previous;
        const wait = nextSlot - clock.now();
        if (wait > 0) {
          await clock.sleep(wait);
        }
        let released = false;
        return () => {
          if (!released) {
            released = true;
            nextSlot = Math.max(nextSlot, clock.now() + intervalMs);
            open();
          }
        };
      },
      holdOff(ms) {
        nextSlot = Math.max(nextSlot, clock.now() + Math.min(Math.max(0, ms), maxHoldOffMs));
      },
    };
  };
  return {
    forTenant(tenantId) {
      const key = tenantId.toLowerCase();
      let pacer = pacers.get(key);
      if (!pacer) {
        pacer = create();
        pacers.set(key, pacer);
      }
      return pacer;
    },
  };
}

const systemClock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

/** The process-wide registry (system clock): the default of every Graph service. */
export const processCaPacers: CaPacerRegistry = createCaPacerRegistry(systemClock);
