import { describe, expect, it } from 'vitest';
import {
  createWriteWaits,
  DEFAULT_WRITE_WAIT,
  mayHaveApplied,
  writeRedoDelayMs,
} from '../../../electron/services/enrollment/directory';
import { AppError } from '../../../shared/errors';

const error = (code: string, details: Record<string, unknown> = {}) => new AppError(code, { details });
const policy = { maxWaits: 3, maxWaitMs: 30_000, fallbackMs: 100 };

describe('writeRedoDelayMs', () => {
  it.each<[string, unknown, number, number | null]>([
    ['a 429 with Retry-After waits it out', error('graph.throttled', { status: 429, retryAfterSeconds: 2 }), 0, 2000],
    ['a 503 with Retry-After 0 reads again at once', error('graph.throttled', { retryAfterSeconds: 0 }), 0, 0],
    ['a 429 without Retry-After backs off', error('graph.throttled', { status: 429 }), 0, 100],
    ['the backoff doubles at each wait', error('graph.server-error', { status: 500 }), 2, 400],
    ['past the waits the error goes up', error('graph.throttled', { retryAfterSeconds: 1 }), 3, null],
    ['a Retry-After above the cap goes to the queue', error('graph.throttled', { retryAfterSeconds: 31 }), 0, null],
    ['offline goes to the queue', error('graph.offline'), 0, null],
    ['a refusal is never redone', error('graph.forbidden', { status: 403 }), 0, null],
    ['a bug is never redone', new Error('boom'), 0, null],
  ])('%s', (_label, failure, waits, delay) => {
    expect(writeRedoDelayMs(failure, waits, policy)).toBe(delay);
  });
});

describe('mayHaveApplied', () => {
  it.each<[unknown, boolean]>([
    [error('graph.server-error', { status: 500 }), true],
    [error('graph.server-error', { status: 503 }), false],
    [error('graph.offline', { outcomeUnknown: true }), true],
    [error('graph.offline', { outcomeUnknown: false }), false],
    [error('graph.throttled', { status: 429 }), false],
  ])('%o → %s', (failure, applied) => {
    expect(mayHaveApplied(failure)).toBe(applied);
  });
});

describe('createWriteWaits', () => {
  it('sleeps the Retry-After through the injected sleep, then throws the explained error past the bounded waits', async () => {
    const slept: number[] = [];
    const waits = createWriteWaits({ sleep: (ms) => Promise.resolve(void slept.push(ms)) });
    const throttled = error('graph.throttled', { retryAfterSeconds: 1 });
    for (let i = 0; i < DEFAULT_WRITE_WAIT.maxWaits; i++) {
      await waits.afterFailedWrite(throttled, () => new AppError('explained'));
    }
    await expect(waits.afterFailedWrite(throttled, () => new AppError('explained'))).rejects.toMatchObject({
      code: 'explained',
    });
    expect(slept).toEqual([1000, 1000, 1000]);
    expect(waits.maxRounds(3)).toBe(3 + DEFAULT_WRITE_WAIT.maxWaits + 1);
  });
});
