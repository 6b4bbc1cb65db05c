import { describe, expect, it } from 'vitest';
import { runBatch } from '../../../electron/services/graph/batch';
import type { BatchItem } from '../../../electron/services/graph/batch';
import { createCaPacerRegistry, isConditionalAccessPath } from '../../../electron/services/graph/ca-pacer';
import type { Clock } from '../../../electron/services/graph/middleware';
import { defaultRetrySettings } from '../../../electron/services/graph/retry-policy';

/** Logical clock: `sleep` advances time, so spacing is checked without waiting. */
function fakeClock(): Clock & { sleeps: number[] } {
  let t = 1_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: (ms) => {
      sleeps.push(ms);
      t += ms;
      return Promise.resolve();
    },
  };
}

describe('conditional-access pacer', () => {
  it.each([
    ['/identity/conditionalAccess/policies', true],
    ['identity/conditionalAccess/policies/1', true],
    ['/identity/conditionalAccess', true],
    ['/identity/namedLocations?$top=1', true],
    ['/identity/conditionalAccessX', false],
    ['/users', false],
    ['/policies/authenticationStrengthPolicies', false],
  ] as const)('%s is conditional access: %s', (path, expected) => {
    expect(isConditionalAccessPath(path)).toBe(expected);
  });

  it('lets one request of a tenant in flight at a time, the next one interval after the previous answer', async () => {
    const clock = fakeClock();
    const registry = createCaPacerRegistry(clock);
    // Two "services" of the same tenant (id spelled differently) and one of another tenant.
    const a = registry.forTenant('Tenant-A');
    const b = registry.forTenant('tenant-a');
    const other = registry.forTenant('tenant-b');
    expect(a).toBe(b);
    const start = clock.now();
    const first = await a.acquire(1000);
    let secondAt: number | undefined;
    const second = b.acquire(1000).then((release) => {
      secondAt = clock.now() - start;
      return release;
    });
    // Another tenant is not held up by tenant A's request in flight.
    const elsewhere = await other.acquire(1000);
    elsewhere();
    expect(clock.now() - start).toBe(0);
    await Promise.resolve();
    expect(secondAt).toBeUndefined();
    // The first request takes 300 ms to be answered: the next may go 1000 ms after that answer.
    await clock.sleep(300);
    first();
    first(); // a second release changes nothing
    (await second)();
    expect(secondAt).toBe(1300);
    const third = await a.acquire(1000);
    expect(clock.now() - start).toBe(2300);
    third();
  });

  it('holds the tenant off after a throttle, bounded', async () => {
    const clock = fakeClock();
    const pacer = createCaPacerRegistry(clock).forTenant('t');
    pacer.holdOff(5000);
    const start = clock.now();
    (await pacer.acquire(1000))();
    expect(clock.now() - start).toBe(5000);
    pacer.holdOff(10 ** 9);
    const again = clock.now();
    (await pacer.acquire(1000))();
    expect(clock.now() - again).toBe(120_000);
  });
});

type Envelope = { at: number; requests: { id: string; method: string; url: string; dependsOn?: string[] }[] };

/** A scripted `$batch` endpoint: `reply` decides each item's status from its id and how often it was seen. */
function scriptedBatch(clock: Clock, reply: (id: string, seen: number) => { status: number; retryAfter?: string }) {
  const envelopes: Envelope[] = [];
  const seen = new Map<string, number>();
  const send = (body: unknown): Promise<unknown> => {
    const env = body as Envelope;
    envelopes.push({ at: clock.now(), requests: env.requests });
    const statuses = new Map<string, number>();
    return Promise.resolve({
      responses: env.requests.map((r) => {
        const n = (seen.get(r.id) ?? 0) + 1;
        seen.set(r.id, n);
        // Like Graph: an item whose dependency in this envelope failed is not run (424).
        const failedDep = (r.dependsOn ?? []).some((d) => (statuses.get(d) ?? 200) >= 400);
        const { status, retryAfter } = failedDep ? { status: 424, retryAfter: undefined } : reply(r.id, n);
        statuses.set(r.id, status);
        return {
          id: r.id,
          status,
          headers: retryAfter === undefined ? {} : { 'Retry-After': retryAfter },
          body: status < 400 ? { id: r.id } : { error: { code: 'TooManyRequests', message: 'Too many requests.' } },
        };
      }),
    });
  };
  return { envelopes, send };
}

describe('$batch rounds and conditional access', () => {
  const ca = (id: string): BatchItem => ({ id, method: 'GET', url: '/identity/conditionalAccess/policies' });
  const user = (id: string): BatchItem => ({ id, method: 'GET', url: `/users/${id}` });

  it('sends at most one conditional-access item per round, each round on its own pacer turn', async () => {
    const clock = fakeClock();
    const { envelopes, send } = scriptedBatch(clock, () => ({ status: 200 }));
    const pacers = createCaPacerRegistry(clock);
    const results = await runBatch({
      items: [ca('c1'), user('u1'), ca('c2'), user('u2'), ca('c3')],
      send: (body) => send(body),
      clock,
      random: () => 0.5,
      retry: defaultRetrySettings,
      retryWrites: true,
      caPacer: pacers.forTenant('t'),
      caIntervalMs: 1000,
    });
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(envelopes.map((e) => e.requests.map((r) => r.id))).toEqual([['c1', 'u1', 'u2'], ['c2'], ['c3']]);
    const gaps = envelopes.slice(1).map((e, i) => e.at - envelopes[i]!.at);
    expect(gaps.every((g) => g >= 1000)).toBe(true);
  });

  it('backs a throttled conditional-access item off at least the CA interval, even without Retry-After', async () => {
    const clock = fakeClock();
    const { envelopes, send } = scriptedBatch(clock, (id, seen) => ({ status: id === 'c1' && seen === 1 ? 429 : 200 }));
    const results = await runBatch({
      items: [ca('c1')],
      send: (body) => send(body),
      clock,
      random: () => 0,
      retry: { ...defaultRetrySettings, baseDelayMs: 10 },
      retryWrites: true,
      caPacer: createCaPacerRegistry(clock).forTenant('t'),
      caIntervalMs: 1000,
    });
    expect(results[0]?.status).toBe(200);
    expect(envelopes).toHaveLength(2);
    expect(envelopes[1]!.at - envelopes[0]!.at).toBeGreaterThanOrEqual(1000);
  });

  it('resends a throttled item only after its own Retry-After, while others proceed', async () => {
    const clock = fakeClock();
    const { envelopes, send } = scriptedBatch(clock, (id, seen) =>
      id === 'u1' && seen === 1 ? { status: 429, retryAfter: '3' } : { status: 200 },
    );
    await runBatch({
      items: [user('u1'), user('u2'), ca('c1'), ca('c2')],
      send: (body) => send(body),
      clock,
      random: () => 0.5,
      retry: defaultRetrySettings,
      retryWrites: true,
      caPacer: createCaPacerRegistry(clock).forTenant('t'),
      caIntervalMs: 1000,
    });
    const rounds = envelopes.map((e) => e.requests.map((r) => r.id));
    expect(rounds).toEqual([['u1', 'u2', 'c1'], ['c2'], ['u1']]);
    expect(envelopes[2]!.at - envelopes[0]!.at).toBeGreaterThanOrEqual(3000);
  });

  it('keeps a dependent with its conditional-access dependency, and fails dependents of a failed item', async () => {
    const clock = fakeClock();
    const { envelopes, send } = scriptedBatch(clock, (id) => ({ status: id === 'bad' ? 404 : 200 }));
    const results = await runBatch({
      items: [
        ca('c1'),
        { ...ca('c2'), dependsOn: ['u1'] },
        { ...user('u1'), dependsOn: ['c3'] },
        ca('c3'),
        user('bad'),
        { ...user('after-bad'), dependsOn: ['bad'] },
        // Deferred behind c1 (one CA item per round): by then its dependency has failed, so it is never sent.
        { ...ca('c4'), dependsOn: ['bad'] },
      ],
      send: (body) => send(body),
      clock,
      random: () => 0.5,
      retry: defaultRetrySettings,
      retryWrites: true,
      caPacer: createCaPacerRegistry(clock).forTenant('t'),
      caIntervalMs: 1000,
    });
    const rounds = envelopes.map((e) => e.requests.map((r) => r.id));
    // Every round holds one CA item; u1 travels with c3 (its dependency), c2 after u1.
    for (const r of rounds) {
      expect(r.filter((id) => id.startsWith('c'))).toHaveLength(1);
    }
    expect(rounds.flat().sort()).toEqual(['after-bad', 'bad', 'c1', 'c2', 'c3', 'u1']);
    expect(rounds.findIndex((r) => r.includes('u1'))).toBe(rounds.findIndex((r) => r.includes('c3')));
    expect(rounds.findIndex((r) => r.includes('c2'))).toBeGreaterThan(rounds.findIndex((r) => r.includes('u1')));
    const byId = new Map(results.map((r) => [r.id, r.status]));
    expect(byId.get('bad')).toBe(404);
    expect(byId.get('after-bad')).toBe(424);
    expect(byId.get('c4')).toBe(424);
    expect(byId.get('c2')).toBe(200);
  });
});
