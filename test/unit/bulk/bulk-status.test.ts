import { describe, expect, it } from 'vitest';
import {
  countOutcomes,
  findInFileDuplicates,
  isApplicable,
  statusOfCode,
  statusOfPlan,
} from '../../../shared/enrollment/bulk-status';
import type { BulkRowStatus, PlannedRowFacts } from '../../../shared/enrollment/bulk-status';

describe('bulk-status', () => {
  it.each<[string, BulkRowStatus]>([
    ['enrollment.user-not-found', 'user-not-found'],
    ['graph.not-found', 'user-not-found'],
    ['bulk.no-user-for-certificate', 'user-not-found'],
    ['bulk.ambiguous-user', 'ambiguous-user'],
    ['enrollment.uniqueness-conflict', 'conflict'],
    ['bulk.duplicate-value-in-file', 'conflict'],
    ['bulk.duplicate-user-in-file', 'conflict'],
    ['mapping.limit-exceeded', 'limit-exceeded'],
    ['mapping.value-too-long', 'limit-exceeded'],
    ['enrollment.no-matchable-binding', 'not-matchable'],
    ['bulk.row-invalid-user', 'invalid-row'],
    ['bulk.row-relative-path', 'invalid-row'],
    ['enrollment.invalid-certificate', 'bad-certificate'],
    ['enrollment.not-an-authentication-certificate', 'bad-certificate'],
    ['bulk.row-unreadable-file', 'bad-certificate'],
    ['graph.forbidden', 'lookup-failed'],
  ])('maps %s to the row status %s', (code, status) => {
    expect(statusOfCode(code)).toBe(status);
  });

  const plan = (over: Partial<PlannedRowFacts>): PlannedRowFacts => ({
    writePath: 'graph',
    refusal: null,
    added: ['X509:<SKI>AA'],
    removed: [],
    ...over,
  });
  it.each<[string, PlannedRowFacts, BulkRowStatus]>([
    ['a value to add', plan({}), 'ok'],
    ['a renewal removing the old card only', plan({ added: [], removed: ['X509:<SKI>BB'] }), 'ok'],
    ['nothing to change', plan({ added: [] }), 'already-enrolled'],
    ['a synced user', plan({ writePath: 'entra-connect', added: [] }), 'synced-user'],
    ['a refusal', plan({ refusal: { code: 'mapping.limit-exceeded' } }), 'limit-exceeded'],
    ['a conflict refusal', plan({ refusal: { code: 'enrollment.uniqueness-conflict' } }), 'conflict'],
  ])('gives a plan with %s the status %s', (_what, facts, status) => {
    expect(statusOfPlan(facts)).toBe(status);
  });

  it.each<[BulkRowStatus, boolean]>([
    ['ok', true],
    ['already-enrolled', true],
    ['synced-user', true],
    ['conflict', false],
    ['user-not-found', false],
    ['limit-exceeded', false],
    ['bad-certificate', false],
  ])('applies rows of status %s: %s', (status, expected) => {
    expect(isApplicable(status)).toBe(expected);
  });

  it('flags later rows repeating an earlier user (any case) or value (hex case folded), first row wins', () => {
    const found = findInFileDuplicates([
      { line: 2, userId: 'AAA', values: ['X509:<SKI>0a'] },
      { line: 3, userId: 'aaa', values: ['X509:<SKI>0b'] },
      { line: 4, userId: 'bbb', values: ['X509:<SKI>0A'] },
      { line: 5, userId: null, values: [] },
      { line: 6, userId: 'ccc', values: ['X509:<SKI>0c'] },
    ]);
    expect(found).toEqual([
      { line: 3, code: 'bulk.duplicate-user-in-file', firstLine: 2, value: null },
      { line: 4, code: 'bulk.duplicate-value-in-file', firstLine: 2, value: 'X509:<SKI>0A' },
    ]);
  });

  it('counts every outcome, zero included', () => {
    expect(countOutcomes(['written', 'written', 'pending', 'failed'])).toEqual({
      written: 2,
      unchanged: 0,
      'synced-user': 0,
      failed: 1,
      skipped: 0,
      pending: 1,
    });
  });
});
