/**
 * The queries this module builds, run through the Graph emulator's OData compiler (a faithful subset of Graph's):
 * they must parse, and find the right people in a small directory.
 */
import { describe, expect, it } from 'vitest';
import { compileFilter, compileSearch } from '../../../emulators/graph/odata';
import type { Entity } from '../../../emulators/graph/model';
import {
  buildCandidateQueries,
  buildCertificateUserIdsLookups,
  rankCandidates,
  directoryUserSchema,
  type CardFacts,
  type GraphQuery,
} from '../../../shared/enrollment';

const DIRECTORY: Entity[] = [
  {
    id: 'helene',
    givenName: 'Hélène',
    surname: 'Dupré',
    displayName: 'Hélène Dupré',
    userPrincipalName: 'hdupre@chu.fr',
    mail: null,
    employeeId: null,
    onPremisesExtensionAttributes: { extensionAttribute1: '899700434378' },
    authorizationInfo: { certificateUserIds: [] },
  },
  {
    id: 'homonym',
    givenName: 'Hélène',
    surname: 'Dupré',
    displayName: 'Hélène Dupré (Pharmacie)',
    userPrincipalName: 'hdupre2@chu.fr',
    mail: null,
    employeeId: null,
    onPremisesExtensionAttributes: { extensionAttribute1: null },
    authorizationInfo: { certificateUserIds: ["X509:<PN>o'neil@carte-cps.fr"] },
  },
  {
    id: 'display-only',
    givenName: null,
    surname: null,
    displayName: 'Dupré Hélène',
    userPrincipalName: 'x@chu.fr',
    mail: null,
    employeeId: null,
    authorizationInfo: { certificateUserIds: [] },
  },
  {
    id: 'other',
    givenName: 'Paul',
    surname: 'Martin',
    displayName: 'Paul Martin',
    userPrincipalName: 'pmartin@chu.fr',
    mail: null,
    employeeId: '99700434378',
    authorizationInfo: { certificateUserIds: [] },
  },
];

const card: CardFacts = {
  givenName: 'HELENE',
  surname: 'DUPRE',
  identifier: { type: 'rpps', value: '99700434378' },
  upn: '8.99700434378@carte-cps.fr',
};

function run(q: GraphQuery): string[] {
  const matches =
    q.query.$filter !== undefined ? compileFilter(q.query.$filter).test : compileSearch(q.query.$search ?? '');
  return DIRECTORY.filter(matches).map((e) => e.id);
}

function queries(): GraphQuery[] {
  const r = buildCandidateQueries(card, { identifierAttribute: 'onPremisesExtensionAttributes/extensionAttribute1' });
  if (!r.ok) {
    throw new Error(r.refusal.code);
  }
  return r.queries;
}

describe('candidate queries on the emulator OData subset', () => {
  it.each<[string, string[]]>([
    ['identifier-attribute', ['helene']],
    ['employee-id', ['other']],
    ['card-upn', []],
    ['upn-identifier', []],
    ['names', ['helene', 'homonym']],
    // Given-name-first prefixes shorter than 3 letters are not tried (too broad); `names` covers those accounts.
    ['display-name', ['display-only']],
  ])('%s finds %j', (id, expected) => {
    const q = queries().find((x) => x.id === id);
    expect(q).toBeDefined();
    expect(q === undefined ? [] : run(q)).toEqual(expected);
  });

  it('marks the advanced ones like the emulator does', () => {
    for (const q of queries()) {
      if (q.query.$filter !== undefined && compileFilter(q.query.$filter).advanced) {
        expect(q.headers.ConsistencyLevel).toBe('eventual');
      }
    }
  });

  it('ranks the union of results with the identifier holder first', () => {
    const users = queries().flatMap((q) =>
      q.query.$filter === undefined ? [] : DIRECTORY.filter(compileFilter(q.query.$filter).test),
    );
    const ranked = rankCandidates(
      card,
      users.map((u) => directoryUserSchema.parse(u)),
      { identifierAttribute: 'onPremisesExtensionAttributes/extensionAttribute1' },
    );
    expect(ranked.map((r) => r.user.id)).toEqual(['helene', 'other', 'homonym', 'display-only']);
  });

  it('finds the holder of a value with a quote through the any() lookup', () => {
    const [lookup] = buildCertificateUserIdsLookups(["X509:<PN>o'neil@carte-cps.fr"]);
    const compiled = compileFilter(lookup?.query.$filter ?? '');
    expect(compiled.advanced).toBe(true);
    expect(DIRECTORY.filter(compiled.test).map((e) => e.id)).toEqual(['homonym']);
  });
});
