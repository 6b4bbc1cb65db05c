import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../electron/services/store/canonical-json';
import { entryHash, GENESIS_PREV_HASH, MAX_PROBLEMS, verifyChain } from '../../../electron/services/store/chain';
import type { ChainRow } from '../../../electron/services/store/chain';
import { mulberry32 } from '../../integration/store/seeded-random';

/** A well-formed chain of `n` rows, built the way the journal builds it. */
function chain(n: number): ChainRow[] {
  const rows: ChainRow[] = [];
  let prevHash = GENESIS_PREV_HASH;
  for (let seq = 1; seq <= n; seq += 1) {
    const entryJson = canonicalJson({ seq, kind: 'card-read', details: { n: seq } });
    const hash = entryHash(prevHash, entryJson);
    rows.push({ seq, entryJson, prevHash, hash });
    prevHash = hash;
  }
  return rows;
}

const headOf = (rows: readonly ChainRow[]) => {
  const last = rows.at(-1);
  return last === undefined ? undefined : { seq: last.seq, hash: last.hash };
};
const summary = (rows: readonly ChainRow[], head = headOf(rows)) =>
  verifyChain(rows, head).problems.map((p) => `${p.kind}:${String(p.seq)}`);

type Tamper = 'edit' | 'delete' | 'swap' | 'rehash' | 'relink';

/** Apply one tampering to row index `i` (0-based) and return the rows plus the problems it must produce. */
function applyTamper(rows: ChainRow[], kind: Tamper, i: number): { rows: ChainRow[]; expected: string[] } {
  const out = rows.map((r) => ({ ...r }));
  const target = out[i];
  if (target === undefined) {
    throw new Error('index out of range');
  }
  const seq = target.seq;
  switch (kind) {
    case 'edit':
      target.entryJson = target.entryJson.replace('card-read', 'card-reaD');
      return { rows: out, expected: [`altered:${String(seq)}`] };
    case 'delete':
      out.splice(i, 1);
      return { rows: out, expected: [`removed:${String(seq)}`] };
    case 'swap': {
      const next = out[i + 1];
      if (next === undefined) {
        throw new Error('swap needs a successor');
      }
      // Exchange contents between two positions (what swapping seq values in the table amounts to).
      out[i] = { ...next, seq };
      out[i + 1] = { ...target, seq: next.seq };
      return { rows: out, expected: [`reordered:${String(seq)}`, `reordered:${String(next.seq)}`] };
    }
    case 'rehash':
      target.entryJson = target.entryJson.replace('card-read', 'mapping-removed');
      target.hash = entryHash(target.prevHash, target.entryJson);
      return { rows: out, expected: [`altered:${String(seq)}`] };
    case 'relink':
      target.prevHash = 'f'.repeat(64);
      return { rows: out, expected: [seq === 1 ? 'bad-genesis:1' : `altered:${String(seq)}`] };
  }
}

describe('verifyChain', () => {
  it('accepts an empty journal and an intact one', () => {
    expect(verifyChain([], undefined)).toEqual({ ok: true, entries: 0, head: null, problems: [], truncated: false });
    const rows = chain(5);
    expect(verifyChain(rows, headOf(rows))).toMatchObject({ ok: true, entries: 5, head: headOf(rows) });
  });

  it.each<[Tamper, number]>([
    ['edit', 0],
    ['edit', 4],
    ['delete', 0],
    ['delete', 2],
    ['delete', 5],
    ['swap', 0],
    ['swap', 4],
    ['rehash', 0],
    ['rehash', 3],
    ['rehash', 5],
    ['relink', 0],
    ['relink', 3],
  ])('names a %s at index %i exactly', (kind, index) => {
    const { rows, expected } = applyTamper(chain(6), kind, index);
    expect(summary(rows, headOf(chain(6)))).toEqual(expected);
  });

  it('detects every seeded single tampering of chains of 2 to 40 entries, naming the right entry', () => {
    const random = mulberry32(7);
    const kinds: Tamper[] = ['edit', 'delete', 'swap', 'rehash', 'relink'];
    for (let round = 0; round < 500; round += 1) {
      const n = 2 + Math.floor(random() * 39);
      const kind = kinds[Math.floor(random() * kinds.length)] ?? 'edit';
      const index = Math.floor(random() * (kind === 'swap' ? n - 1 : n));
      const original = chain(n);
      const { rows, expected } = applyTamper(original, kind, index);
      expect(summary(rows, headOf(original)), `${kind} at ${String(index)} of ${String(n)}`).toEqual(expected);
    }
  });

  it('names an entry moved far away at the break in order', () => {
    const rows = chain(7);
    const [moved] = rows.splice(2, 1);
    rows.splice(5, 0, moved!);
    // Order now 1,2,4,5,6,3,7: the break is between 6 and 3.
    expect(summary(rows, headOf(chain(7)))).toEqual(['reordered:3', 'reordered:6']);
  });

  it('names entries appended behind the head (triggers bypassed)', () => {
    const rows = chain(4);
    expect(summary(rows, headOf(rows.slice(0, 3)))).toEqual(['altered:4']);
  });

  it('reports a missing head when entries exist', () => {
    expect(verifyChain(chain(3), undefined).problems).toEqual([
      { seq: 3, kind: 'altered', detail: 'la tête du journal a disparu' },
    ]);
  });

  it('names a duplicated entry', () => {
    const rows = chain(3);
    rows.push({ ...rows[1]!, seq: 4 });
    expect(summary(rows, headOf(chain(3)))).toContain('altered:2');
  });

  it(`caps the list at ${String(MAX_PROBLEMS)} problems and says so`, () => {
    const rows = chain(MAX_PROBLEMS + 200).map((r) => ({ ...r, entryJson: `${r.entryJson} ` }));
    const report = verifyChain(rows, headOf(rows));
    expect(report.problems).toHaveLength(MAX_PROBLEMS);
    expect(report.truncated).toBe(true);
    expect(report.ok).toBe(false);
  });

  it('stays bounded when a forged head claims an absurd length', () => {
    const rows = chain(3);
    const report = verifyChain(rows, { seq: Number.MAX_SAFE_INTEGER, hash: 'x' });
    expect(report.ok).toBe(false);
    expect(report.problems.length).toBeLessThanOrEqual(MAX_PROBLEMS);
  });
});
