import { describe, expect, it } from 'vitest';
import {
  buildFolderUserQueries,
  certificateFileNames,
  resolveFolderUser,
} from '../../../shared/enrollment/bulk-folder';
import { isRenewalCell, renewalLines } from '../../../shared/enrollment/bulk-renewal';

describe('bulk-folder', () => {
  it('looks a certificate up by its SAN UPN and by the national identifier it carries (both spellings)', () => {
    const queries = buildFolderUserQueries(
      'f0',
      { upn: '8.10100000001@carte-cps.fr', identifier: { type: 'rpps', value: '10100000001' } },
      null,
    );
    expect(queries.map((q) => [q.id, q.query.$filter, q.headers])).toEqual([
      ['f0.upn', "userPrincipalName eq '8.10100000001@carte-cps.fr' or mail eq '8.10100000001@carte-cps.fr'", {}],
      ['f0.id', "(employeeId eq '10100000001' or employeeId eq '810100000001')", { ConsistencyLevel: 'eventual' }],
    ]);
    expect(queries[1]?.query.$count).toBe(true);
  });

  it.each([
    ['a configured extension attribute', 'onPremisesExtensionAttributes/extensionAttribute3', 'extensionAttribute3'],
    ['an invalid attribute (falls back to employeeId)', "employeeId') or (1 eq 1", 'employeeId eq'],
  ])('uses %s', (_what, attribute, expected) => {
    const [byId] = buildFolderUserQueries('k', { upn: null, identifier: { type: 'rpps', value: '1' } }, attribute);
    expect(byId?.query.$filter).toContain(expected);
  });

  it('asks nothing for a certificate without UPN nor identifier', () => {
    expect(buildFolderUserQueries('k', { upn: null, identifier: null }, null)).toEqual([]);
  });

  it.each([
    ['no user', [], { kind: 'not-found' }],
    ['one user found twice', [{ id: 'a' }, { id: 'a' }], { kind: 'found', user: { id: 'a' } }],
    [
      'two users',
      [
        { id: 'a', userPrincipalName: 'a@x.fr' },
        { id: 'b', userPrincipalName: 'b@x.fr' },
      ],
      { kind: 'ambiguous', userPrincipalNames: ['a@x.fr', 'b@x.fr'] },
    ],
  ])('resolves %s', (_what, users, expected) => {
    expect(resolveFolderUser(users)).toEqual(expected);
  });

  it('keeps certificate files only, in a stable order', () => {
    expect(certificateFileNames(['b.PEM', 'notes.txt', 'a.cer', 'C.p7b', 'a.crt', '.DS_Store', 'x.der'])).toEqual([
      'a.cer',
      'a.crt',
      'b.PEM',
      'C.p7b',
      'x.der',
    ]);
  });
});

describe('bulk-renewal', () => {
  it.each([
    ['oui', true],
    [' Oui ', true],
    ['yes', true],
    ['1', true],
    ['x', true],
    ['vrai', true],
    ['non', false],
    ['', false],
    ['0', false],
  ])('reads the renewal cell %j as %s', (cell, expected) => {
    expect(isRenewalCell(cell)).toBe(expected);
  });

  it('finds the lines marked as renewals, whatever the column name spelling', () => {
    const csv = 'utilisateur;certificat;Renouvellement\r\na@x.fr;a.cer;oui\r\nb@x.fr;b.cer;\r\nc@x.fr;c.cer;1\r\n';
    expect([...renewalLines(csv)]).toEqual([2, 4]);
    expect(renewalLines('utilisateur;certificat\r\na@x.fr;a.cer\r\n').size).toBe(0);
  });
});
