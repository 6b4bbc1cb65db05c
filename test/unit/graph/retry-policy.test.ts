import { describe, expect, it } from 'vitest';
import type { AttemptOutcome } from '../../../electron/services/graph/retry-policy';
import { decideRetry, defaultRetrySettings, parseRetryAfter } from '../../../electron/services/graph/retry-policy';

const response = (status: number, retryAfterSeconds?: number): AttemptOutcome => ({
  kind: 'response',
  status,
  retryAfterSeconds,
});

describe('retry-policy', () => {
  const cases: { name: string; idempotent: boolean; outcome: AttemptOutcome; retry: boolean; delayMs?: number }[] = [
    {
      name: 'read on 429 with Retry-After waits exactly that long',
      idempotent: true,
      outcome: response(429, 3),
      retry: true,
      delayMs: 3000,
    },
    { name: 'read on 503 without Retry-After backs off', idempotent: true, outcome: response(503), retry: true },
    { name: 'read on 500 retries', idempotent: true, outcome: response(500), retry: true },
    { name: 'read on 404 does not retry', idempotent: true, outcome: response(404), retry: false },
    { name: 'read on 403 does not retry', idempotent: true, outcome: response(403), retry: false },
    { name: 'read after a reset retries', idempotent: true, outcome: { kind: 'transport', sent: true }, retry: true },
    {
      name: 'write on 429 retries (not applied)',
      idempotent: false,
      outcome: response(429, 2),
      retry: true,
      delayMs: 2000,
    },
    {
      name: 'write on 503 with Retry-After retries',
      idempotent: false,
      outcome: response(503, 1),
      retry: true,
      delayMs: 1000,
    },
    {
      name: 'write on 503 without Retry-After does not retry',
      idempotent: false,
      outcome: response(503),
      retry: false,
    },
    { name: 'write on 500 does not retry', idempotent: false, outcome: response(500), retry: false },
    { name: 'write on 504 does not retry', idempotent: false, outcome: response(504), retry: false },
    {
      name: 'write after a reset (maybe applied) does not retry',
      idempotent: false,
      outcome: { kind: 'transport', sent: true },
      retry: false,
    },
    {
      name: 'write refused before sending retries',
      idempotent: false,
      outcome: { kind: 'transport', sent: false },
      retry: true,
    },
  ];
  it.each(cases)('$name', ({ idempotent, outcome, retry, delayMs }) => {
    const d = decideRetry({ idempotent, outcome, attempt: 1, settings: defaultRetrySettings, random: () => 0.5 });
    expect(d.retry).toBe(retry);
    if (d.retry && delayMs !== undefined) {
      expect(d.delayMs).toBe(delayMs);
    }
  });

  it.each([
    { attempt: 1, unreachable: true, retry: true },
    { attempt: 2, unreachable: true, retry: false },
    { attempt: 2, unreachable: false, retry: true },
    { attempt: 5, unreachable: false, retry: true },
  ])(
    'unreachable Graph gets a short budget: attempt $attempt, unreachable $unreachable',
    ({ attempt, unreachable, retry }) => {
      const d = decideRetry({
        idempotent: true,
        outcome: { kind: 'transport', sent: false, unreachable },
        attempt,
        settings: defaultRetrySettings,
        random: () => 0.5,
      });
      expect(d.retry).toBe(retry);
    },
  );

  it.each<{ outcome: AttemptOutcome; idempotent: boolean; retryWrites: boolean | undefined; retry: boolean }>([
    { outcome: response(429, 1), idempotent: false, retryWrites: false, retry: false },
    { outcome: response(429), idempotent: false, retryWrites: false, retry: false },
    { outcome: response(503, 1), idempotent: false, retryWrites: false, retry: false },
    { outcome: response(504), idempotent: false, retryWrites: false, retry: false },
    { outcome: { kind: 'transport', sent: true }, idempotent: false, retryWrites: false, retry: false },
    { outcome: { kind: 'transport', sent: false }, idempotent: false, retryWrites: false, retry: false },
    { outcome: response(429, 1), idempotent: false, retryWrites: true, retry: true },
    { outcome: response(429, 1), idempotent: false, retryWrites: undefined, retry: true },
    { outcome: { kind: 'transport', sent: false }, idempotent: false, retryWrites: undefined, retry: true },
    // Reads ignore the option: re-reading never overwrites anything.
    { outcome: response(429, 1), idempotent: true, retryWrites: false, retry: true },
    { outcome: response(504), idempotent: true, retryWrites: false, retry: true },
  ])(
    'retryWrites $retryWrites, idempotent $idempotent, $outcome → retry $retry',
    ({ outcome, idempotent, retryWrites, retry }) => {
      const d = decideRetry({
        idempotent,
        outcome,
        attempt: 1,
        settings: defaultRetrySettings,
        random: () => 0.5,
        ...(retryWrites === undefined ? {} : { retryWrites }),
      });
      expect(d.retry).toBe(retry);
    },
  );

  it('stops at the attempt budget', () => {
    const d = decideRetry({
      idempotent: true,
      outcome: response(503),
      attempt: defaultRetrySettings.maxAttempts,
      settings: defaultRetrySettings,
      random: () => 0,
    });
    expect(d.retry).toBe(false);
  });

  it('gives up when Retry-After exceeds the longest honoured wait', () => {
    const d = decideRetry({
      idempotent: true,
      outcome: response(429, 3600),
      attempt: 1,
      settings: defaultRetrySettings,
      random: () => 0,
    });
    expect(d.retry).toBe(false);
  });

  it('keeps jittered backoff within [half, full] of the exponential step and under the cap', () => {
    for (let attempt = 1; attempt < 6; attempt++) {
      const step = Math.min(defaultRetrySettings.maxDelayMs, defaultRetrySettings.baseDelayMs * 2 ** (attempt - 1));
      for (const r of [0, 0.3, 0.999]) {
        const d = decideRetry({
          idempotent: true,
          outcome: response(503),
          attempt,
          settings: defaultRetrySettings,
          random: () => r,
        });
        expect(d.retry && d.delayMs >= step / 2 && d.delayMs <= step).toBe(true);
      }
    }
  });

  it('applies the conditional-access minimum when no Retry-After is given', () => {
    const d = decideRetry({
      idempotent: true,
      outcome: response(429),
      attempt: 1,
      settings: defaultRetrySettings,
      random: () => 0,
      minDelayMs: 1000,
    });
    expect(d).toEqual({ retry: true, delayMs: 1000 });
  });

  it.each([
    ['5', 5],
    [' 12 ', 12],
    [null, undefined],
    ['soon', undefined],
    ['Wed, 25 Nov 2026 08:00:10 GMT', 10],
  ] as const)('parses Retry-After %s', (value, expected) => {
    expect(parseRetryAfter(value, Date.parse('Wed, 25 Nov 2026 08:00:00 GMT'))).toBe(expected);
  });
});
