import { describe, expect, it } from 'vitest';
import {
  buildCandidateQueries,
  cardFactsFromCertificate,
  toRelativeUrl,
  type CardFacts,
  type GraphQuery,
} from '../../../shared/enrollment';
import { loadCpeCard } from './fixtures';

const card: CardFacts = {
  givenName: 'Hélène',
  surname: "D'ARC-DUPRÉ",
  identifier: { type: 'rpps', value: '99700434378' },
  upn: '8.99700434378@carte-cps.fr',
};

function byId(queries: readonly GraphQuery[], id: string): GraphQuery {
  const q = queries.find((x) => x.id === id);
  if (q === undefined) {
    throw new Error(`no query ${id}`);
  }
  return q;
}

function build(facts: CardFacts, identifierAttribute: string | null): GraphQuery[] {
  const result = buildCandidateQueries(facts, { identifierAttribute });
  if (!result.ok) {
    throw new Error(result.refusal.code);
  }
  return result.queries;
}

describe('buildCandidateQueries', () => {
  it.each([
    ['onPremisesExtensionAttributes/extensionAttribute1', 'onPremisesExtensionAttributes'],
    ['extension_0123456789abcdef0123456789abcdef_rpps', 'extension_0123456789abcdef0123456789abcdef_rpps'],
  ])('filters %s on both identifier spellings as an advanced query', (attribute, selected) => {
    const q = byId(build(card, attribute), 'identifier-attribute');
    expect(q.query.$filter).toBe(`(${attribute} eq '99700434378' or ${attribute} eq '899700434378')`);
    expect(q.headers).toEqual({ ConsistencyLevel: 'eventual' });
    expect(q.query.$count).toBe(true);
    expect(q.query.$select.split(',')).toContain(selected);
    expect(q.query.$select.split(',')).toContain('authorizationInfo');
  });

  it.each([
    ['onPremisesExtensionAttributes/extensionAttribute16'],
    ["extensionAttribute1') or true or ('"],
    ['extension_short_rpps'],
    ['displayName'],
  ])('refuses the identifier attribute %s', (attribute) => {
    const result = buildCandidateQueries(card, { identifierAttribute: attribute });
    expect(result.ok).toBe(false);
    expect(result.ok ? null : result.refusal.code).toBe('enrollment.invalid-identifier-attribute');
  });

  it('searches names with accented, plain and accent-safe spellings, quotes doubled', () => {
    const q = byId(build(card, null), 'names');
    expect(q.query.$filter).toBe(
      "(startswith(surname,'D''ARC-DUPRÉ') or startswith(surname,'D''ARC-DUPRE') or startswith(surname,'D''AR')) and " +
        "(startswith(givenName,'Hélène') or startswith(givenName,'Helene') or startswith(givenName,'H'))",
    );
    expect(q.headers).toEqual({});
  });

  it('uses $search with ConsistencyLevel and folded tokens', () => {
    const q = byId(build(card, null), 'search');
    expect(q.query.$search).toBe('"displayName:arc" AND "displayName:dupre" AND "displayName:helene"');
    expect(q.headers.ConsistencyLevel).toBe('eventual');
  });

  it('matches UPN or mail against the card UPN and UPNs built from the identifier', () => {
    const queries = build(card, null);
    expect(byId(queries, 'card-upn').query.$filter).toBe(
      "userPrincipalName eq '8.99700434378@carte-cps.fr' or mail eq '8.99700434378@carte-cps.fr'",
    );
    expect(byId(queries, 'upn-identifier').query.$filter).toBe(
      "(startswith(userPrincipalName,'99700434378') or startswith(userPrincipalName,'899700434378'))",
    );
    expect(queries.some((q) => q.id === 'identifier-attribute')).toBe(false);
  });

  it('refuses a card with nothing to search on', () => {
    const result = buildCandidateQueries(
      { givenName: null, surname: null, identifier: null, upn: null },
      { identifierAttribute: null },
    );
    expect(result.ok ? null : result.refusal.code).toBe('enrollment.no-search-criteria');
  });

  it('encodes a relative URL with the filter escaped', () => {
    const q = byId(build(card, null), 'names');
    const url = toRelativeUrl(q);
    expect(url.startsWith('/users?$filter=')).toBe(true);
    expect(decodeURIComponent(url.slice('/users?$filter='.length).split('&')[0] ?? '')).toBe(q.query.$filter);
    expect(url).toContain('$select=id,displayName');
  });

  it('builds queries from the real TEST CPE certificate', async () => {
    const { info } = await loadCpeCard();
    const facts = cardFactsFromCertificate(info);
    expect(facts.upn).toBe('30B0057881/CPET0002@carte-cps.fr');
    const queries = build(facts, null);
    expect(byId(queries, 'names').query.$filter).toContain(
      "(startswith(givenName,'CHARLES') or startswith(givenName,'CHARL'))",
    );
    expect(byId(queries, 'employee-id').query.$filter).toContain("employeeId eq '0B0057881/CPET0002'");
  });
});
