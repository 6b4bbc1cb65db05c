/**
 * Bulk import from a folder of certificate files: the user of each file is found from its certificate's SAN UPN
 * (`8.10100000001@carte-cps.fr`) — an account with that UPN or mail, or holding the national identifier it carries
 * in the identifier attribute (employeeId by default). Exactly one account must match.
 */
import { odataString } from './text';
import { ADVANCED_HEADERS, type GraphQuery } from './query';
import { isValidIdentifierAttribute } from './search';
import { identifierSpellings, USER_SELECT, type CardFacts, type DirectoryUser } from './user';

/** Certificate file names a folder import reads (others are ignored). */
export const CERTIFICATE_FILE = /\.(?:cer|crt|der|pem|p7b|p7c)$/i;

/** Files read from one folder at most (each may hold several certificates, only the authentication one is used). */
export const MAX_FOLDER_FILES = 10_000;

/** Lookups for one file: `key` names the row; ids are `<key>.upn` and `<key>.id`. */
export function buildFolderUserQueries(
  key: string,
  facts: Pick<CardFacts, 'upn' | 'identifier'>,
  identifierAttribute: string | null,
): GraphQuery[] {
  const $select = USER_SELECT.join(',');
  const queries: GraphQuery[] = [];
  if (facts.upn !== null && facts.upn !== '') {
    const upn = odataString(facts.upn);
    queries.push({
      id: `${key}.upn`,
      purpose: 'userPrincipalName or mail equals the card UPN',
      path: '/users',
      query: { $filter: `userPrincipalName eq ${upn} or mail eq ${upn}`, $select, $top: 5 },
      headers: {},
    });
  }
  const attribute =
    identifierAttribute !== null && isValidIdentifierAttribute(identifierAttribute)
      ? identifierAttribute
      : 'employeeId';
  const ids = identifierSpellings(facts.identifier);
  if (ids.length > 0) {
    const clauses = ids.map((v) => `${attribute} eq ${odataString(v)}`);
    queries.push({
      id: `${key}.id`,
      purpose: `${attribute} equals the national identifier of the card UPN`,
      path: '/users',
      query: {
        $filter: clauses.length === 1 ? (clauses[0] ?? '') : `(${clauses.join(' or ')})`,
        $select,
        $top: 5,
        $count: true,
      },
      headers: ADVANCED_HEADERS,
    });
  }
  return queries;
}

/** The one account the lookups found, or why there is none. */
export type FolderUserResolution =
  { kind: 'found'; user: DirectoryUser } | { kind: 'not-found' } | { kind: 'ambiguous'; userPrincipalNames: string[] };

/** Decide the account of a file from the users its lookups returned (the same user twice counts once). */
export function resolveFolderUser(found: readonly DirectoryUser[]): FolderUserResolution {
  const byId = new Map(found.map((u) => [u.id, u]));
  const [first, ...others] = [...byId.values()];
  if (first === undefined) {
    return { kind: 'not-found' };
  }
  if (others.length > 0) {
    return { kind: 'ambiguous', userPrincipalNames: [first, ...others].map((u) => u.userPrincipalName ?? u.id) };
  }
  return { kind: 'found', user: first };
}

/** Folder file names in a stable order (case-insensitive, then byte order), certificates only. */
export function certificateFileNames(names: readonly string[]): string[] {
  return names
    .filter((n) => CERTIFICATE_FILE.test(n))
    .sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' }) || (a < b ? -1 : a > b ? 1 : 0));
}
