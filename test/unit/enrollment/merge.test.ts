import { describe, expect, it } from 'vitest';
import {
  MAX_REMERGE_ATTEMPTS,
  planMappingWrite,
  remergeAfterConcurrentChange,
  verifyAfterWrite,
  type MappingWritePlan,
  type MappingWriteResult,
} from '../../../shared/enrollment';

const PN = 'X509:<PN>8.99700434378@carte-cps.fr';
const SKI_OLD = 'X509:<SKI>AAAA';
const SKI_NEW = 'X509:<SKI>3F0F9C73269D3B91CB041B38E994B4D304C5A897';
const OTHER = 'X509:<RFC822>helene.dupre@chu.fr';
const limit = { maxValues: 5, maxValueLength: 1024 };

function planOf(result: MappingWriteResult): MappingWritePlan {
  if (!result.ok) {
    throw new Error(result.refusal.code);
  }
  return result.plan;
}

describe('planMappingWrite', () => {
  it.each<[string, string[], string[], string[] | undefined, string[], string[], string[]]>([
    ['adds to an empty list', [], [PN, SKI_NEW], undefined, [PN, SKI_NEW], [PN, SKI_NEW], []],
    [
      'keeps unrelated values first, in order',
      [OTHER],
      [PN, SKI_NEW],
      undefined,
      [OTHER, PN, SKI_NEW],
      [PN, SKI_NEW],
      [],
    ],
    ['adds only what is missing', [SKI_NEW, OTHER], [PN, SKI_NEW], undefined, [SKI_NEW, OTHER, PN], [PN], []],
    [
      'replaces the renewed card SKI but keeps the shared PN',
      [OTHER, PN, SKI_OLD],
      [PN, SKI_NEW],
      [PN, SKI_OLD],
      [OTHER, PN, SKI_NEW],
      [SKI_NEW],
      [SKI_OLD],
    ],
    [
      'treats hex case as the same value',
      ['X509:<SKI>3f0f9c73269d3b91cb041b38e994b4d304c5a897'],
      [SKI_NEW],
      undefined,
      ['X509:<SKI>3f0f9c73269d3b91cb041b38e994b4d304c5a897'],
      [],
      [],
    ],
    ['ignores duplicates in toAdd', [], [PN, PN], undefined, [PN], [PN], []],
  ])('%s', (_label, current, toAdd, previousCardValues, next, added, removed) => {
    const plan = planOf(planMappingWrite({ current, toAdd, previousCardValues, limit }));
    expect(plan).toEqual({ next, added, removed, unchanged: added.length === 0 && removed.length === 0 });
  });

  it('is idempotent: planning again on next changes nothing', () => {
    const first = planOf(
      planMappingWrite({
        current: [OTHER, PN, SKI_OLD],
        toAdd: [PN, SKI_NEW],
        previousCardValues: [PN, SKI_OLD],
        limit,
      }),
    );
    const again = planOf(
      planMappingWrite({ current: first.next, toAdd: [PN, SKI_NEW], previousCardValues: [PN, SKI_OLD], limit }),
    );
    expect(again).toEqual({ next: first.next, added: [], removed: [], unchanged: true });
  });

  it.each<[string, string[], string[], number, string, Record<string, unknown>]>([
    [
      'too many values',
      ['X509:<PN>a', 'X509:<PN>b', 'X509:<PN>c', 'X509:<PN>d'],
      [PN, SKI_NEW],
      5,
      'mapping.limit-exceeded',
      { current: 4, adding: 2, removing: 0, wouldBe: 6, maxValues: 5 },
    ],
    [
      'a value over the length limit',
      [],
      [`X509:<PN>${'a'.repeat(1020)}`],
      5,
      'mapping.value-too-long',
      { index: 0, length: 1029, maxValueLength: 1024 },
    ],
    ['a lower-case prefix', [], ['x509:<PN>a@b'], 5, 'mapping.invalid-value', { index: 0 }],
    ['a trailing space', [], ['X509:<PN>a@b '], 5, 'mapping.invalid-value', { index: 0 }],
    ['a space after the tag', [], ['X509:<PN> a@b'], 5, 'mapping.invalid-value', { index: 0 }],
    ['a space before <SR>', [], ['X509:<I>CN=CA <SR>00aa'], 5, 'mapping.invalid-value', { index: 0 }],
    ['an unknown tag', [], ['X509:<UPN>a@b'], 5, 'mapping.invalid-value', { index: 0 }],
    ['an issuer without serial or subject', [], ['X509:<I>CN=CA'], 5, 'mapping.invalid-value', { index: 0 }],
  ])('refuses %s before anything is sent', (_label, current, toAdd, maxValues, code, details) => {
    const result = planMappingWrite({ current, toAdd, limit: { maxValues, maxValueLength: 1024 } });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.refusal.code).toBe(code);
      expect(result.refusal.details).toMatchObject(details);
    }
  });

  it('allows a replacement that stays within the limit although an addition would not', () => {
    const full = ['X509:<PN>a', 'X509:<PN>b', 'X509:<PN>c', PN, SKI_OLD];
    const plan = planOf(
      planMappingWrite({ current: full, toAdd: [PN, SKI_NEW], previousCardValues: [PN, SKI_OLD], limit }),
    );
    expect(plan.next).toHaveLength(5);
    expect(planMappingWrite({ current: full, toAdd: [PN, SKI_NEW], limit }).ok).toBe(false);
  });
});

describe('verifyAfterWrite', () => {
  const plan = { next: [OTHER, PN, SKI_NEW], added: [SKI_NEW], removed: [SKI_OLD] };

  it.each<[string, string[], string, Record<string, unknown>]>([
    ['the write as planned', [OTHER, PN, SKI_NEW], 'ok', { foreign: [] }],
    ['our write plus another agent value', [OTHER, PN, SKI_NEW, 'X509:<PN>x'], 'ok', { foreign: ['X509:<PN>x'] }],
    [
      'our addition lost',
      [OTHER, PN, 'X509:<PN>x'],
      'concurrent-change',
      { missingAdded: [SKI_NEW], reappeared: [], missingKept: [], foreign: ['X509:<PN>x'] },
    ],
    [
      'the removed value back',
      [OTHER, PN, SKI_NEW, SKI_OLD],
      'concurrent-change',
      { missingAdded: [], reappeared: [SKI_OLD], missingKept: [], foreign: [SKI_OLD] },
    ],
  ])('reports %s', (_label, reread, status, rest) => {
    expect(verifyAfterWrite(plan, reread)).toEqual({ status, ...rest });
  });

  // The list the write was merged on: what was there must still be, except what we removed.
  const basis = [OTHER, PN, SKI_OLD];
  it.each<[string, string[], string, Record<string, unknown>]>([
    ['every value read before the PATCH still there', [OTHER, PN, SKI_NEW], 'ok', { foreign: [] }],
    ['our removal of a value of the pre-PATCH read', [PN, OTHER, SKI_NEW], 'ok', { foreign: [] }],
    [
      'a value of the pre-PATCH read erased by a stale list',
      [PN, SKI_NEW],
      'concurrent-change',
      { missingAdded: [], reappeared: [], missingKept: [OTHER], foreign: [] },
    ],
  ])('with the pre-PATCH list, reports %s', (_label, reread, status, rest) => {
    expect(verifyAfterWrite({ ...plan, basis }, reread)).toEqual({ status, ...rest });
  });
});

describe('remergeAfterConcurrentChange', () => {
  it('re-plans on the fresh list and keeps the other agent additions', () => {
    const fresh = [OTHER, PN, SKI_OLD, 'X509:<PN>other-agent'];
    const plan = planOf(
      remergeAfterConcurrentChange({
        fresh,
        current: [],
        toAdd: [PN, SKI_NEW],
        previousCardValues: [SKI_OLD],
        limit,
        attempt: 1,
      }),
    );
    expect(plan.next).toEqual([OTHER, PN, 'X509:<PN>other-agent', SKI_NEW]);
    expect(plan.removed).toEqual([SKI_OLD]);
  });

  it('gives up after the bounded number of attempts', () => {
    const result = remergeAfterConcurrentChange({
      fresh: [],
      current: [],
      toAdd: [PN],
      limit,
      attempt: MAX_REMERGE_ATTEMPTS,
    });
    expect(result.ok ? null : result.refusal.code).toBe('mapping.concurrent-change-unresolved');
  });
});
