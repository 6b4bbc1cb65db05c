/**
 * Queries that find the practitioner's Entra account from the card: identifier attribute, employeeId, UPN and
 * mail, names (accent-tolerant `startswith` and `$search`).
 */
import { accentSafePrefix, foldName, odataString, searchToken, spellingVariants } from './text';
import { ADVANCED_HEADERS, type GraphQuery } from './query';
import { identifierSpellings, USER_SELECT, type CardFacts } from './user';
import type { Refusal } from './codes';
import { IDENTIFIER_ATTRIBUTE } from '../contract/schemas';

/** Where the establishment stores the national identifier, if anywhere. */
export type SearchOptions = {
  /**
   * A user property path holding the RPPS/ADELI id: `onPremisesExtensionAttributes/extensionAttribute1..15`,
   * a directory extension `extension_<appId without dashes>_<name>`, or `employeeId`. Null: not configured.
   */
  identifierAttribute: string | null;
  /** Page size per query (Graph allows up to 999 for users). */
  top?: number;
};

/** True when a configured identifier attribute has a shape Graph can filter on. */
export function isValidIdentifierAttribute(path: string): boolean {
  return IDENTIFIER_ATTRIBUTE.test(path);
}

/**
 * The `$select` for user queries: the standard fields, plus the top-level property of the identifier attribute when
 * (and only when) it is a valid one, so a malformed setting never reaches the query as raw text.
 */
export function userSelectWith(identifierAttribute: string | null): string {
  const extra =
    identifierAttribute !== null && isValidIdentifierAttribute(identifierAttribute)
      ? identifierAttribute.split('/')[0]
      : undefined;
  const fields: string[] = [...USER_SELECT];
  if (extra !== undefined && !fields.includes(extra)) {
    fields.push(extra);
  }
  return fields.join(',');
}

function selectFor(options: SearchOptions): string {
  return userSelectWith(options.identifierAttribute);
}

function anyStartsWith(property: string, variants: readonly string[]): string {
  const clauses = variants.map((v) => `startswith(${property},${odataString(v)})`);
  return clauses.length === 1 ? (clauses[0] ?? '') : `(${clauses.join(' or ')})`;
}

function anyEquals(property: string, values: readonly string[]): string {
  // `or` of `eq` rather than `in (…)`: accepted everywhere `eq` is, including our emulator's OData subset.
  const clauses = values.map((v) => `${property} eq ${odataString(v)}`);
  return clauses.length === 1 ? (clauses[0] ?? '') : `(${clauses.join(' or ')})`;
}

/**
 * Build the candidate queries for a card, most selective first.
 *
 * Returns a refusal when the attribute path is not one Graph can filter on, or when the card gives nothing to
 * search with. Extension attributes and `employeeId` filters are advanced queries on Graph, so they carry
 * `ConsistencyLevel: eventual` and `$count=true`; plain `startswith`/`eq` on names, UPN and mail do not need it.
 */
export function buildCandidateQueries(
  card: CardFacts,
  options: SearchOptions,
): { ok: true; queries: GraphQuery[] } | { ok: false; refusal: Refusal } {
  const attribute = options.identifierAttribute;
  if (attribute !== null && !isValidIdentifierAttribute(attribute)) {
    return {
      ok: false,
      refusal: { code: 'enrollment.invalid-identifier-attribute', details: { attribute } },
    };
  }
  const $select = selectFor(options);
  const top = options.top ?? 25;
  const queries: GraphQuery[] = [];
  const add = (id: string, purpose: string, q: Omit<GraphQuery['query'], '$select'>, advanced: boolean): void => {
    queries.push({
      id,
      purpose,
      path: '/users',
      query: { ...q, $select, $top: top, ...(advanced ? { $count: true } : {}) },
      headers: advanced ? ADVANCED_HEADERS : {},
    });
  };

  const ids = identifierSpellings(card.identifier);
  if (ids.length > 0) {
    if (attribute !== null && attribute !== 'employeeId') {
      add(
        'identifier-attribute',
        `${attribute} equals the national identifier`,
        { $filter: anyEquals(attribute, ids) },
        true,
      );
    }
    add('employee-id', 'employeeId equals the national identifier', { $filter: anyEquals('employeeId', ids) }, true);
    // Some establishments build UPNs from the RPPS (`99700434378@chu.fr`).
    add(
      'upn-identifier',
      'userPrincipalName starts with the national identifier',
      { $filter: anyStartsWith('userPrincipalName', ids) },
      false,
    );
  }
  if (card.upn !== null && card.upn !== '') {
    const upn = odataString(card.upn);
    add(
      'card-upn',
      'userPrincipalName or mail equals the card UPN',
      { $filter: `userPrincipalName eq ${upn} or mail eq ${upn}` },
      false,
    );
  }

  const surname = spellingVariants(card.surname ?? '');
  // The surname narrows enough that the given name may be a one-letter accent-safe prefix (`HELENE` must find
  // `Hélène`); when even that is empty (`ELODIE` vs `Élodie`) the given name is left out of the filter.
  const givenName = card.givenName ?? '';
  const given = accentSafePrefix(givenName) === '' ? [] : spellingVariants(givenName, 1);
  if (surname.length > 0) {
    const filter =
      given.length > 0
        ? `${anyStartsWith('surname', surname)} and ${anyStartsWith('givenName', given)}`
        : anyStartsWith('surname', surname);
    add('names', 'surname and givenName start with the card names (accented and plain)', { $filter: filter }, false);
    // Accounts created without givenName/surname only have a displayName, in either order.
    const displays = displayNameVariants(card.givenName ?? '', card.surname ?? '');
    add(
      'display-name',
      'displayName starts with the card names',
      { $filter: anyStartsWith('displayName', displays) },
      false,
    );
    const tokens = [
      ...new Set([...foldName(card.surname ?? '').split(' '), ...foldName(card.givenName ?? '').split(' ')]),
    ]
      .map(searchToken)
      .filter((t) => t.length >= 2);
    if (tokens.length > 0) {
      add(
        'search',
        '$search on displayName tokens',
        { $search: tokens.map((t) => `"displayName:${t}"`).join(' AND ') },
        true,
      );
    }
  }

  if (queries.length === 0) {
    return { ok: false, refusal: { code: 'enrollment.no-search-criteria', details: {} } };
  }
  return { ok: true, queries };
}

function displayNameVariants(givenName: string, surname: string): string[] {
  const out = new Set<string>();
  const g = givenName.trim();
  const s = surname.trim();
  for (const [a, b] of g === ''
    ? [[s, '']]
    : [
        [g, s],
        [s, g],
      ]) {
    const full = `${a ?? ''} ${b ?? ''}`.trim();
    for (const variant of spellingVariants(full, 3)) {
      out.add(variant);
    }
  }
  return [...out];
}
