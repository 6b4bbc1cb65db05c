/**
 * Before a step queued offline by UPN writes anything, the account the UPN names must be the card holder: a typed
 * UPN may name a homonym, or an account renamed since. The account is ranked against the card with the same ranking
 * as the desk search; anything short of a confident match (national identifier, employeeId, the card's UPN, or the
 * card's values already held) holds the step for the agent.
 */
import type { QueueItemView } from '../../../shared/contract/enrollment';
import { rankCandidates } from '../../../shared/enrollment';
import type { DirectoryUser } from '../../../shared/enrollment';
import type { ResolvedCard } from './card';

/** Why a step is held: the account found and how it compares with the card (shown in the queue panel). */
export type Hold = NonNullable<QueueItemView['hold']>;

/** Code stored as the held item's last error (`errors.enrollment.needs-confirmation`). */
export const NEEDS_CONFIRMATION = 'enrollment.needs-confirmation';

/** A step names its user by UPN when it was queued without reaching Graph (object ids never contain `@`). */
export function isQueuedByUpn(userRef: string): boolean {
  return userRef.includes('@');
}

/** The card holder's name as the card says it (for the panel). */
export function cardHolderName(card: ResolvedCard): string | null {
  const name = [card.facts.givenName, card.facts.surname].filter((p): p is string => p !== null && p !== '');
  return name.length === 0 ? null : name.join(' ');
}

/** Rank the account against the card; `null` when the match is confident, else the hold to show the agent. */
export function holdUnlessHolder(
  card: ResolvedCard,
  user: DirectoryUser,
  identifierAttribute: string | null,
): Hold | null {
  const [ranked] = rankCandidates(card.facts, [user], {
    identifierAttribute,
    cardValues: card.list.map((v) => v.value),
    keepUnmatched: true,
  });
  if (ranked?.confidence === 'high') {
    return null;
  }
  return {
    userId: user.id,
    userPrincipalName: user.userPrincipalName ?? user.id,
    displayName: user.displayName ?? null,
    confidence: ranked === undefined || ranked.score <= 0 ? 'none' : ranked.confidence,
    reasons: ranked?.reasons ?? [],
    cardHolder: cardHolderName(card),
  };
}
