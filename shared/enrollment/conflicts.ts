/**
 * Uniqueness of `certificateUserIds` in a tenant: find the other accounts already holding one of this card's values
 * (Graph would answer 400 on the PATCH).
 */
import type { MappingForm } from '../mapping';
import { odataString } from './text';
import { ADVANCED_HEADERS, type GraphQuery } from './query';
import { certificateUserIdsOf, type DirectoryUser } from './user';
import { comparisonKey, formOfValue } from './values';

/** Fields needed to show who holds a value. */
const CONFLICT_SELECT = 'id,displayName,userPrincipalName,onPremisesSyncEnabled,accountEnabled,authorizationInfo';

/**
 * One reverse-lookup query per value (`any()` needs `$count=true` and `ConsistencyLevel: eventual`).
 *
 * One value per query so each fits a `$batch` item and a failure names its value.
 */
export function buildCertificateUserIdsLookups(values: readonly string[]): GraphQuery[] {
  return [...new Set(values)].map((value, index) => ({
    id: `cuid-${index}`,
    purpose: `users holding ${formOfValue(value) ?? 'value'}`,
    path: '/users',
    query: {
      $filter: `authorizationInfo/certificateUserIds/any(x:x eq ${odataString(value)})`,
      $select: CONFLICT_SELECT,
      $count: true,
    },
    headers: ADVANCED_HEADERS,
  }));
}

/** Another account holding one of the values. */
export type MappingConflict = {
  value: string;
  form: MappingForm | null;
  heldValue: string;
  userId: string;
  userPrincipalName: string | null;
  displayName: string | null;
  isSynced: boolean;
  /** False when the held value differs only in hex case (same key: treat as a conflict, flag the spelling). */
  isExact: boolean;
};

/**
 * List the other users (not `targetUserId`) that already hold one of `values`, from the lookup results.
 *
 * Results are read from each user's own list rather than trusted from the query, since an eventually consistent
 * advanced query can return a user whose list has since changed.
 */
export function findConflicts(input: {
  values: readonly string[];
  targetUserId: string | null;
  users: readonly DirectoryUser[];
}): MappingConflict[] {
  const conflicts: MappingConflict[] = [];
  const seen = new Set<string>();
  for (const user of input.users) {
    if (user.id === input.targetUserId) {
      continue;
    }
    const held = certificateUserIdsOf(user);
    for (const value of input.values) {
      const key = comparisonKey(value);
      const match = held.find((h) => comparisonKey(h) === key);
      const dedupeKey = `${user.id}\u0000${key}`;
      if (match === undefined || seen.has(dedupeKey)) {
        continue;
      }
      seen.add(dedupeKey);
      conflicts.push({
        value,
        form: formOfValue(value),
        heldValue: match,
        userId: user.id,
        userPrincipalName: user.userPrincipalName ?? null,
        displayName: user.displayName ?? null,
        isSynced: user.onPremisesSyncEnabled === true,
        isExact: match === value,
      });
    }
  }
  return conflicts;
}
