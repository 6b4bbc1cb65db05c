/**
 * Seeded property checks: the CSV reader never throws and round-trips what the writer produces; merge plans are
 * idempotent and never drop unrelated values.
 */
import { describe, expect, it } from 'vitest';
import { parseCsv, planMappingWrite, writeCsv } from '../../../shared/enrollment';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;

describe('CSV properties', () => {
  it('returns a table or a typed refusal for 2,000 random inputs', () => {
    const rand = mulberry32(42);
    const alphabet = [';', ',', '"', '\n', '\r', 'a', ' ', 'é', '\uFEFF', '\t'];
    for (let n = 0; n < 2000; n += 1) {
      const text = Array.from({ length: Math.floor(rand() * 40) }, () => pick(rand, alphabet)).join('');
      const result = parseCsv(text);
      if (!result.ok) {
        expect(result.refusal.code).toBe('bulk.csv-unterminated-quote');
      }
    }
  });

  it('round-trips 500 random tables through writeCsv and parseCsv', () => {
    const rand = mulberry32(7);
    const alphabet = [';', ',', '"', '\n', 'a', 'b', ' ', 'é', 'X509:<PN>', '=', '\r\n'];
    for (let n = 0; n < 500; n += 1) {
      const width = 1 + Math.floor(rand() * 4);
      const table = Array.from({ length: 1 + Math.floor(rand() * 5) }, (_, row) =>
        Array.from({ length: width }, (_, col) => {
          // A row of blank cells is skipped by the reader (a blank line), so keep one anchor cell per row.
          const body = Array.from({ length: Math.floor(rand() * 6) }, () => pick(rand, alphabet)).join('');
          return col === 0 ? `r${row}${body}` : body;
        }),
      );
      const separator = pick(rand, [';', ','] as const);
      const parsed = parseCsv(writeCsv(table, { separator }));
      expect(parsed.ok).toBe(true);
      const cells = parsed.ok ? parsed.table.rows.map((r) => r.cells) : [];
      // Formula-looking cells come back with the protective quote the writer adds.
      expect(cells).toEqual(table.map((r) => r.map((c) => (/^[=+\-@\t\r]/.test(c) ? `'${c}` : c))));
    }
  });
});

describe('merge properties', () => {
  it('is idempotent and keeps unrelated values in order over 1,000 random plans', () => {
    const rand = mulberry32(2024);
    const pool = [
      'X509:<PN>a@x',
      'X509:<PN>b@x',
      'X509:<SKI>AA',
      'X509:<SKI>BB',
      'X509:<SKI>cc',
      'X509:<I>CN=CA<SR>01',
      'X509:<S>CN=Z',
    ];
    const sample = (): string[] => pool.filter(() => rand() < 0.35);
    for (let n = 0; n < 1000; n += 1) {
      const current = sample();
      const toAdd = sample();
      const previousCardValues = sample();
      const limit = { maxValues: 1 + Math.floor(rand() * 7), maxValueLength: 1024 };
      const first = planMappingWrite({ current, toAdd, previousCardValues, limit });
      if (!first.ok) {
        expect(first.refusal.code).toBe('mapping.limit-exceeded');
        continue;
      }
      const unrelated = current.filter((v) => !previousCardValues.includes(v));
      expect(first.plan.next.filter((v) => unrelated.includes(v))).toEqual(unrelated);
      for (const v of toAdd) {
        expect(first.plan.next.some((x) => x.toUpperCase() === v.toUpperCase())).toBe(true);
      }
      const again = planMappingWrite({ current: first.plan.next, toAdd, previousCardValues, limit });
      expect(again.ok && again.plan.unchanged).toBe(true);
      expect(again.ok ? again.plan.next : null).toEqual(first.plan.next);
    }
  });
});
