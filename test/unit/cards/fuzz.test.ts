/**
 * Seeded fuzzing of the card reader: random and mutated card answers must end in a result or a typed AppError,
 * never a crash or a hang (every loop is bounded by the APDU budget).
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { classifyAtr, createMemoryPathCache, readCpxCard } from '../../../shared/cards';
import { parseCdf, parseEfDir, parseOdf, parsePrkdf, scanTlvList } from '../../../shared/cards/pkcs15';
import type { ApduTransport } from '../../../shared/cards/transport';
import { FakeCard } from './fake-card';
import { ATR, atr, cpsFiles } from './profiles';
import { prng } from './prng';

const CARD_CODES = new Set([
  'card.protocol',
  'card.corrupt-certificate',
  'card.no-auth-certificate',
  'card.channel-unsupported',
  'card.aborted',
  'card.unknown',
  'card.contactless',
]);

const SWS = [0x9000, 0x6282, 0x6a82, 0x6985, 0x6881, 0x6b00, 0x6a86, 0x6700, 0x6982, 0x6d00, 0x6f00];

function randomBytes(rand: () => number, n: number): number[] {
  return Array.from({ length: n }, () => Math.floor(rand() * 256));
}

function randomSw(rand: () => number): number {
  const r = rand();
  if (r < 0.15) {
    return 0x6100 | Math.floor(rand() * 256);
  }
  if (r < 0.25) {
    return 0x6c00 | Math.floor(rand() * 256);
  }
  if (r < 0.3) {
    return Math.floor(rand() * 0x10000);
  }
  return SWS[Math.floor(rand() * SWS.length)]!;
}

async function settle(
  transport: ApduTransport,
  atrBytes: Uint8Array,
  cache = createMemoryPathCache(),
): Promise<string> {
  try {
    const result = await readCpxCard(transport, { atr: atrBytes, cache });
    expect(result.certificates.length).toBe(1);
    return 'ok';
  } catch (error) {
    if (!(error instanceof AppError) || !CARD_CODES.has(error.code)) {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      throw error;
    }
    return error.code;
  }
}

const ATRS = [atr(ATR.cps3), atr(ATR.cps4)];

describe('card reader fuzz', () => {
  it('survives 3000 fully random transports', async () => {
    const rand = prng(0xc0ffee);
    for (let i = 0; i < 3000; i += 1) {
      const transport: ApduTransport = {
        transmit: () => {
          const len = rand() < 0.05 ? Math.floor(rand() * 400) : Math.floor(rand() * 40);
          const sw = randomSw(rand);
          return Promise.resolve(
            Uint8Array.from([...randomBytes(rand, len), sw >> 8, sw & 0xff]).subarray(rand() < 0.02 ? 1 : 0),
          );
        },
      };
      await settle(transport, ATRS[i % 2]!);
    }
  }, 30_000);

  it('survives 2000 mutated cards (corrupted files, truncations, injected status words)', async () => {
    const rand = prng(0xbadcab1e);
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 2000; i += 1) {
      const files = cpsFiles();
      for (const [path, content] of Object.entries(files)) {
        const r = rand();
        if (r < 0.15) {
          const copy = content.slice();
          for (let k = 0; k < 1 + Math.floor(rand() * 4); k += 1) {
            copy[Math.floor(rand() * copy.length)] = Math.floor(rand() * 256);
          }
          files[path] = copy;
        } else if (r < 0.2) {
          files[path] = content.slice(0, Math.floor(rand() * content.length));
        } else if (r < 0.22) {
          Reflect.deleteProperty(files, path);
        }
      }
      const card = new FakeCard({ files, t0: rand() < 0.5, cps4: i % 2 === 1 });
      const injectRate = rand() * 0.1;
      const transport: ApduTransport = {
        transmit: async (c) => {
          const answer = await card.transmit(c);
          if (rand() < injectRate) {
            const sw = randomSw(rand);
            return Uint8Array.from([...answer.slice(0, Math.floor(rand() * answer.length)), sw >> 8, sw & 0xff]);
          }
          return answer;
        },
      };
      const outcome = await settle(transport, ATRS[i % 2]!);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    // The mutation rates leave many cards intact: both successes and typed failures must show up.
    expect(outcomes.get('ok') ?? 0).toBeGreaterThan(100);
    expect(outcomes.size).toBeGreaterThan(2);
  }, 30_000);

  it('ends 300 reads whose card stops answering at a random APDU with card.aborted once the signal fires', async () => {
    const rand = prng(0x5757);
    for (let i = 0; i < 300; i += 1) {
      const card = new FakeCard({ files: cpsFiles(), t0: i % 2 === 0, cps4: i % 2 === 1 });
      const hangAt = Math.floor(rand() * 20);
      const controller = new AbortController();
      let hung = 0;
      const transport: ApduTransport = {
        transmit: (c) => {
          if (card.commands.length < hangAt) {
            return card.transmit(c);
          }
          hung += 1;
          // The read timeout, as the service arms it: fires while the command is outstanding.
          setTimeout(() => {
            controller.abort();
          }, 0);
          return new Promise<Uint8Array>(() => undefined);
        },
      };
      const outcome = await readCpxCard(transport, { atr: ATRS[i % 2]!, signal: controller.signal }).then(
        () => 'ok',
        (error: unknown) => (error instanceof AppError ? error.code : String(error)),
      );
      // A read short enough to finish before `hangAt` succeeds; any other stops at the first unanswered command.
      expect(outcome).toBe(hung === 0 ? 'ok' : 'card.aborted');
      expect(hung).toBeLessThanOrEqual(1);
    }
  });

  it('stops endless 61xx and 6Cxx answers', async () => {
    for (const sw of [0x6110, 0x6100, 0x6c10, 0x6c00]) {
      const transport: ApduTransport = { transmit: () => Promise.resolve(Uint8Array.from([sw >> 8, sw & 0xff])) };
      expect(await settle(transport, atr(ATR.cps3))).toBe('card.protocol');
    }
  });

  it('parses 1500 random and mutated PKCS#15 buffers without untyped errors, and classifies 1500 random ATRs', () => {
    const rand = prng(42);
    const base = cpsFiles();
    const samples = [base['3F002F00']!, base['3F0000015031']!, base['3F0000017004']!, base['3F0000017001']!];
    for (let i = 0; i < 1500; i += 1) {
      const src = samples[i % samples.length]!;
      const buf = rand() < 0.3 ? Uint8Array.from(randomBytes(rand, Math.floor(rand() * 200))) : src.slice();
      for (let k = 0; k < Math.floor(rand() * 6); k += 1) {
        buf[Math.floor(rand() * buf.length)] = Math.floor(rand() * 256);
      }
      for (const parse of [parseEfDir, parseOdf, parseCdf, parsePrkdf]) {
        try {
          parse(buf);
        } catch (error) {
          if (!(error instanceof AppError)) {
            process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
          }
          expect(error).toBeInstanceOf(AppError);
        }
      }
      expect(['complete', 'incomplete', 'invalid']).toContain(scanTlvList(buf));
      const atrBytes = Uint8Array.from(randomBytes(rand, Math.floor(rand() * 40)));
      if (rand() < 0.5) {
        atrBytes[0] = 0x3b;
      }
      expect(['cps3', 'cps4', 'cps3-contactless', 'unknown']).toContain(classifyAtr(atrBytes).generation);
    }
  });
});
