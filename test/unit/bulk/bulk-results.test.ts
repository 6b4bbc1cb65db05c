import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../shared/enrollment/csv';
import {
  conflictHolders,
  RESULTS_COLUMNS,
  resultsFileName,
  translate,
  writeBulkJobResultsCsv,
} from '../../../shared/enrollment/bulk-results';
import type { BulkResultLine } from '../../../shared/enrollment/bulk-results';
import { catalogs } from '../../../shared/i18n';

const { fr, en } = catalogs;

const line = (over: Partial<BulkResultLine>): BulkResultLine => ({
  line: 2,
  source: 'lot.csv:2',
  user: 'x@y.fr',
  userPrincipalName: 'x@y.fr',
  status: 'written',
  values: [],
  altSecurityIdentities: [],
  error: null,
  ...over,
});

/** The file as Excel would show it: BOM, `;`, rows of cells (read back with the app's own CSV reader). */
function cellsOf(csv: string): string[][] {
  expect(csv.startsWith('\uFEFF')).toBe(true);
  const parsed = parseCsv(csv);
  if (!parsed.ok) {
    throw new Error(parsed.refusal.code);
  }
  expect(parsed.table.separator).toBe(';');
  return parsed.table.rows.map((r) => r.cells);
}

describe('bulk results file', () => {
  it.each<[string, string, Record<string, unknown>, string]>([
    ['a nested error key', 'errors.bulk.csv-empty', {}, 'Le fichier CSV est vide.'],
    [
      'a parameter',
      'errors.bulk.row-relative-path',
      { line: 4 },
      'Ligne 4 : donnez le chemin complet du fichier de certificat.',
    ],
    [
      'a missing parameter reads …',
      'errors.bulk.ambiguous-user',
      { line: 3 },
      'Ligne 3 : plusieurs comptes correspondent à ce certificat (…).',
    ],
    [
      'an array parameter',
      'bulk.adValue',
      { values: ['a', 'b'] },
      'À définir dans Active Directory (altSecurityIdentities) : a, b',
    ],
    ['an unknown key comes back as is', 'errors.nope.never', {}, 'errors.nope.never'],
  ])('translates %s', (_label, key, params, text) => {
    expect(translate(fr, key, params)).toBe(text);
  });

  it('names who holds a conflicting value: accounts of a uniqueness conflict, the earlier row of the file', () => {
    expect(
      conflictHolders(
        {
          code: 'enrollment.uniqueness-conflict',
          messageKey: 'errors.enrollment.uniqueness-conflict',
          details: {
            conflicts: [
              { userId: 'id-1', userPrincipalName: 'autre@chu.fr' },
              { userId: 'id-2', userPrincipalName: null },
              { userId: 'id-1', userPrincipalName: 'autre@chu.fr' },
            ],
          },
        },
        fr,
      ),
    ).toEqual(['autre@chu.fr', 'id-2']);
    expect(
      conflictHolders(
        {
          code: 'bulk.duplicate-value-in-file',
          messageKey: 'errors.bulk.duplicate-value-in-file',
          details: { firstLine: 3 },
        },
        fr,
      ),
    ).toEqual(['ligne 3 du fichier']);
    expect(conflictHolders({ code: 'graph.throttled', messageKey: 'errors.graph.throttled' }, fr)).toEqual([]);
    expect(conflictHolders(null, fr)).toEqual([]);
  });

  it('writes French headers, statuses and messages, the conflicting account, in file order, formulas defused', () => {
    const csv = writeBulkJobResultsCsv(
      [
        line({ line: 4, source: 'lot.csv:4', user: '=cmd', userPrincipalName: null, status: 'pending' }),
        line({
          line: 3,
          source: 'lot.csv:3',
          status: 'skipped',
          error: {
            code: 'enrollment.uniqueness-conflict',
            messageKey: 'errors.enrollment.uniqueness-conflict',
            details: { line: 3, conflicts: [{ userId: 'id-9', userPrincipalName: 'ancien@chu.fr' }] },
          },
        }),
        line({ values: ['X509:<SKI>AA', 'X509:<PN>b'] }),
      ],
      fr,
    );
    const [header, ...rows] = cellsOf(csv);
    expect(header).toEqual([
      'Ligne',
      'Origine',
      'Utilisateur',
      'Compte Entra (UPN)',
      'État',
      'Message',
      'Conflit avec',
      'Valeurs certificateUserIds',
      'Valeurs altSecurityIdentities (AD)',
      'Code',
    ]);
    expect(rows.map((r) => [r[0], r[4], r[6], r[9]])).toEqual([
      ['2', 'Écrite', '', ''],
      ['3', 'Ignorée', 'ancien@chu.fr', 'enrollment.uniqueness-conflict'],
      ['4', 'Restante', '', ''],
    ]);
    expect(rows[0]?.[5]).toMatch(/^Association écrite et vérifiée/);
    expect(rows[0]?.[7]).toBe('X509:<SKI>AA | X509:<PN>b');
    expect(rows[1]?.[5]).toBe(fr.errors.enrollment['uniqueness-conflict']);
    expect(rows[2]?.[2]).toBe("'=cmd");
    // No raw message key anywhere.
    expect(csv).not.toMatch(/errors\.|bulk\.resultsFile/);
  });

  it('writes the same rows in English from the English catalog', () => {
    const [header, row] = cellsOf(
      writeBulkJobResultsCsv([line({ status: 'synced-user', altSecurityIdentities: ['X509:<I>a<SR>01'] })], en),
    );
    expect(header).toHaveLength(RESULTS_COLUMNS.length);
    expect(header?.[6]).toBe('Conflicts with');
    expect(row?.[4]).toBe(en.bulk.statuses['synced-user']);
    expect(row?.[5]).toMatch(/^Account synced from Active Directory/);
    expect(row?.[8]).toBe('X509:<I>a<SR>01');
  });

  it.each<[string, string, string]>([
    ['lot.csv', 'fr', 'lot-resultats-20261125-140509.csv'],
    ['Médecins 2026.CSV', 'fr', 'Médecins_2026-resultats-20261125-140509.csv'],
    ['cartes', 'en', 'cartes-results-20261125-140509.csv'],
  ])('names the results file of %j (%s) %j', (label, language, name) => {
    expect(resultsFileName(label, new Date(2026, 10, 25, 14, 5, 9), language === 'en' ? en : fr)).toBe(name);
  });
});
