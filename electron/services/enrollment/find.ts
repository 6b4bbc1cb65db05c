/**
 * Find the practitioner's account: the card's candidate queries, an optional free-text query from the agent, and
 * the reverse lookups of every card value, all in one `$batch` round trip; then ranking.
 */
import type { FindCandidatesOutput } from '../../../shared/contract/enrollment';
import {
  ADVANCED_HEADERS,
  buildCandidateQueries,
  buildCertificateUserIdsLookups,
  certificateUserIdsOf,
  findConflicts,
  odataString,
  rankCandidates,
  toAppError,
  userSelectWith,
} from '../../../shared/enrollment';
import type { GraphQuery } from '../../../shared/enrollment';
import type { ResolvedCard } from './card';
import type { Directory } from './directory';
import { toContractConflict } from './plan';

/** Ranking reasons that identify the card holder's own account. */
const OWN_ACCOUNT_REASONS: ReadonlySet<string> = new Set([
  'identifier-match',
  'employee-id-match',
  'upn-match',
  'upn-contains-identifier',
  'exact-name',
  'display-name-match',
]);

/** Candidates shown at most. */
const MAX_CANDIDATES = 20;

/** Free-text query on name, UPN and mail (the agent typed it). */
export function freeTextQuery(query: string, identifierAttribute: string | null): GraphQuery {
  const q = odataString(query.trim());
  return {
    id: 'free-text',
    purpose: 'the agent typed a name, UPN or mail',
    path: '/users',
    query: {
      $filter: `startswith(displayName,${q}) or startswith(userPrincipalName,${q}) or startswith(mail,${q})`,
      // Only a valid attribute joins `$select`: a malformed setting never reaches Graph as raw text.
      $select: userSelectWith(identifierAttribute),
      $top: 25,
      $count: true,
    },
    headers: ADVANCED_HEADERS,
  };
}

/** Run the search for a card. */
export async function findCandidates(input: {
  directory: Directory;
  card: ResolvedCard;
  identifierAttribute: string | null;
  query?: string | undefined;
}): Promise<FindCandidatesOutput> {
  const built = buildCandidateQueries(input.card.facts, { identifierAttribute: input.identifierAttribute });
  const hasQuery = input.query !== undefined && input.query.trim() !== '';
  if (!built.ok && !hasQuery) {
    throw toAppError(built.refusal);
  }
  if (!built.ok && built.refusal.code === 'enrollment.invalid-identifier-attribute') {
    throw toAppError(built.refusal);
  }
  const values = input.card.list.map((v) => v.value);
  const lookups = buildCertificateUserIdsLookups(values);
  const candidateQueries = [
    ...(built.ok ? built.queries : []),
    ...(hasQuery ? [freeTextQuery(input.query ?? '', input.identifierAttribute)] : []),
  ];
  const results = await input.directory.runQueries([...candidateQueries, ...lookups]);
  const lookupIds = new Set(lookups.map((l) => l.id));
  const found = [...results.entries()].filter(([id]) => !lookupIds.has(id)).flatMap(([, users]) => users);
  const holders = [...results.entries()].filter(([id]) => lookupIds.has(id)).flatMap(([, users]) => users);
  const ranked = rankCandidates(input.card.facts, [...found, ...holders], {
    identifierAttribute: input.identifierAttribute,
    cardValues: values,
    keepUnmatched: hasQuery,
  });
  // The holder's own account (identified by the card's identifier or UPN, not merely by holding a value) holding the
  // card's values is no conflict (a renewal, a mapping already done): only *other* holders are.
  const own = ranked.find((c) => c.reasons.some((r) => OWN_ACCOUNT_REASONS.has(r)));
  const conflicts = findConflicts({ values, targetUserId: own?.user.id ?? null, users: holders });
  return {
    candidates: ranked.slice(0, MAX_CANDIDATES).map((c) => ({
      id: c.user.id,
      displayName: c.user.displayName ?? null,
      userPrincipalName: c.user.userPrincipalName ?? c.user.id,
      score: c.score,
      confidence: c.confidence,
      reasons: c.reasons,
      isSynced: c.user.onPremisesSyncEnabled === true,
      isEnabled: c.user.accountEnabled !== false,
      certificateUserIds: certificateUserIdsOf(c.user),
    })),
    conflicts: conflicts.map(toContractConflict),
  };
}
