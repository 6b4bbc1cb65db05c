/**
 * Reads of the removal tools: the accounts holding a card's values (remove by loaded certificate) and a user search
 * by name, UPN or mail (remove by user), each user with their current `certificateUserIds`.
 */
import type { DirectoryUserView } from '../../../shared/contract/enrollment';
import { buildCertificateUserIdsLookups, certificateUserIdsOf } from '../../../shared/enrollment';
import type { DirectoryUser } from '../../../shared/enrollment';
import type { ResolvedCard } from './card';
import type { Directory } from './directory';
import { freeTextQuery } from './find';

/** Users shown at most. */
const MAX_USERS = 25;

/** Contract view of a directory user. */
export function toUserView(user: DirectoryUser): DirectoryUserView {
  return {
    id: user.id,
    displayName: user.displayName ?? null,
    userPrincipalName: user.userPrincipalName ?? user.id,
    isSynced: user.onPremisesSyncEnabled === true,
    certificateUserIds: certificateUserIdsOf(user),
  };
}

function unique(users: readonly DirectoryUser[]): DirectoryUserView[] {
  const seen = new Set<string>();
  const out: DirectoryUserView[] = [];
  for (const user of users) {
    if (!seen.has(user.id) && out.length < MAX_USERS) {
      seen.add(user.id);
      out.push(toUserView(user));
    }
  }
  return out;
}

/** Every account holding one of the card's values (reverse lookups, batched). */
export async function findHolders(directory: Directory, card: ResolvedCard): Promise<DirectoryUserView[]> {
  const lookups = buildCertificateUserIdsLookups(card.list.map((v) => v.value));
  if (lookups.length === 0) {
    return [];
  }
  const results = await directory.runQueries(lookups);
  return unique([...results.values()].flat());
}

/** Users whose name, UPN or mail starts with the query. */
export async function searchUsers(
  directory: Directory,
  query: string,
  identifierAttribute: string | null,
): Promise<DirectoryUserView[]> {
  const results = await directory.runQueries([freeTextQuery(query, identifierAttribute)]);
  return unique([...results.values()].flat());
}
