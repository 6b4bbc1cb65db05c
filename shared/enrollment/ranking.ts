/**
 * Rank directory users against the card: the strongest evidence is the national identifier, then the card UPN,
 * then names compared without accents or case.
 */
import { foldName, nameTokens } from './text';
import {
  certificateUserIdsOf,
  identifierSpellings,
  readUserAttribute,
  type CardFacts,
  type DirectoryUser,
} from './user';

/** Why a candidate scored. */
export type RankReason =
  | 'already-mapped'
  | 'identifier-match'
  | 'employee-id-match'
  | 'upn-match'
  | 'exact-name'
  | 'display-name-match'
  | 'surname-match'
  | 'partial-name'
  | 'upn-contains-identifier'
  | 'account-disabled';

/** Points per reason: data, so the weights can be tuned without touching the logic. */
export const RANK_WEIGHTS: Readonly<Record<RankReason, number>> = {
  'already-mapped': 200,
  'identifier-match': 100,
  'employee-id-match': 90,
  'upn-match': 80,
  'exact-name': 50,
  'display-name-match': 45,
  'surname-match': 25,
  'partial-name': 10,
  'upn-contains-identifier': 40,
  'account-disabled': -5,
};

/** A ranked candidate. */
export type RankedCandidate = {
  user: DirectoryUser;
  score: number;
  reasons: RankReason[];
  confidence: 'high' | 'medium' | 'low';
};

/** Options of `rankCandidates`. */
export type RankOptions = {
  /** Attribute holding the national identifier (as in `SearchOptions`). */
  identifierAttribute?: string | null;
  /** This card's computed certificateUserIds values: a user already holding one is the practitioner. */
  cardValues?: readonly string[];
  /** Keep users with no evidence at all (score ≤ 0); default false. */
  keepUnmatched?: boolean;
};

function sameTokens(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join(' ') === [...b].sort().join(' ');
}

function localPart(address: string | null | undefined): string {
  return (address ?? '').split('@')[0]?.toLowerCase() ?? '';
}

function reasonsFor(card: CardFacts, user: DirectoryUser, options: RankOptions): RankReason[] {
  const reasons: RankReason[] = [];
  const ids = identifierSpellings(card.identifier);
  const values = new Set(options.cardValues ?? []);
  if (values.size > 0 && certificateUserIdsOf(user).some((v) => values.has(v))) {
    reasons.push('already-mapped');
  }
  const attribute = options.identifierAttribute ?? null;
  if (attribute !== null && attribute !== 'employeeId') {
    const held = readUserAttribute(user, attribute)?.trim();
    if (held !== undefined && ids.includes(held)) {
      reasons.push('identifier-match');
    }
  }
  const employeeId = user.employeeId?.trim();
  if (employeeId !== undefined && ids.includes(employeeId)) {
    reasons.push('employee-id-match');
  }
  const cardUpn = card.upn?.toLowerCase() ?? '';
  if (
    cardUpn !== '' &&
    [user.userPrincipalName, user.mail, user.onPremisesUserPrincipalName].some((v) => v?.toLowerCase() === cardUpn)
  ) {
    reasons.push('upn-match');
  }
  // The card UPN contains the identifier: a UPN match already says it, do not count it twice.
  if (
    !reasons.includes('upn-match') &&
    ids.some((id) => [user.userPrincipalName, user.mail].some((a) => localPart(a).includes(id.toLowerCase())))
  ) {
    reasons.push('upn-contains-identifier');
  }
  reasons.push(...nameReasons(card, user));
  if (user.accountEnabled === false) {
    reasons.push('account-disabled');
  }
  return reasons;
}

function nameReasons(card: CardFacts, user: DirectoryUser): RankReason[] {
  const cardGiven = foldName(card.givenName ?? '');
  const cardSurname = foldName(card.surname ?? '');
  if (cardSurname === '') {
    return [];
  }
  const userGiven = foldName(user.givenName ?? '');
  const userSurname = foldName(user.surname ?? '');
  if (userSurname === cardSurname && cardGiven !== '' && userGiven === cardGiven) {
    return ['exact-name'];
  }
  const cardTokens = [...nameTokens(card.givenName ?? ''), ...nameTokens(card.surname ?? '')];
  const displayTokens = nameTokens(user.displayName ?? '');
  if (displayTokens.length > 0 && sameTokens(cardTokens, displayTokens)) {
    return ['display-name-match'];
  }
  if (userSurname === cardSurname) {
    return ['surname-match'];
  }
  const userTokens = new Set([...nameTokens(user.surname ?? ''), ...displayTokens]);
  const surnameTokens = nameTokens(card.surname ?? '');
  return surnameTokens.some((t) => t.length >= 2 && userTokens.has(t)) ? ['partial-name'] : [];
}

function confidenceOf(reasons: readonly RankReason[]): RankedCandidate['confidence'] {
  if (
    reasons.some(
      (r) => r === 'already-mapped' || r === 'identifier-match' || r === 'employee-id-match' || r === 'upn-match',
    )
  ) {
    return 'high';
  }
  if (reasons.some((r) => r === 'exact-name' || r === 'display-name-match' || r === 'upn-contains-identifier')) {
    return 'medium';
  }
  return 'low';
}

/**
 * Score and sort candidates (deduplicated by id), best first.
 *
 * Ties break on folded display name, then UPN, then object id, so the order never depends on Graph's.
 */
export function rankCandidates(
  card: CardFacts,
  users: readonly DirectoryUser[],
  options: RankOptions = {},
): RankedCandidate[] {
  const byId = new Map<string, DirectoryUser>();
  for (const user of users) {
    if (!byId.has(user.id)) {
      byId.set(user.id, user);
    }
  }
  const ranked: RankedCandidate[] = [];
  for (const user of byId.values()) {
    const reasons = reasonsFor(card, user, options);
    const score = reasons.reduce((sum, r) => sum + RANK_WEIGHTS[r], 0);
    if (score > 0 || options.keepUnmatched === true) {
      ranked.push({ user, score, reasons, confidence: confidenceOf(reasons) });
    }
  }
  return ranked.sort(
    (a, b) =>
      b.score - a.score ||
      compare(foldName(a.user.displayName ?? ''), foldName(b.user.displayName ?? '')) ||
      compare((a.user.userPrincipalName ?? '').toLowerCase(), (b.user.userPrincipalName ?? '').toLowerCase()) ||
      compare(a.user.id, b.user.id),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
