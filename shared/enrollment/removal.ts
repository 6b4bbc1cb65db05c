/**
 * Removing a card's values from an account (card lost, stolen, replaced, practitioner leaving).
 */
import type { CertificateUserIds, MappingForm } from '../mapping';
import { MAPPING_FORMS } from '../mapping';
import { cardValueList, comparisonKey, formOfValue } from './values';

/** Why a card's values are removed. */
export type RemovalReason = 'lost' | 'stolen' | 'replaced' | 'left' | 'other';

/** A planned removal. */
export type RemovalPlan = {
  next: string[];
  removed: { value: string; form: MappingForm | null }[];
  unchanged: boolean;
  /** True when the account keeps no `X509:` value at all: CBA stops working for it. */
  leavesNoMapping: boolean;
  /** True when the account keeps at least one high-affinity value. */
  keepsHighAffinity: boolean;
  /** Values kept on purpose because the replacement card shares them (PrincipalName survives renewals). */
  keptShared: string[];
};

function summarize(
  current: readonly string[],
  next: string[],
  removed: RemovalPlan['removed'],
  keptShared: string[],
): RemovalPlan {
  const forms = next.map(formOfValue);
  return {
    next,
    removed,
    unchanged: removed.length === 0,
    leavesNoMapping: current.some((v) => formOfValue(v) !== null) && forms.every((f) => f === null),
    keepsHighAffinity: forms.some((f) => f !== null && MAPPING_FORMS[f].affinity === 'high'),
    keptShared,
  };
}

/** Which of the user's values belong to this card (all seven forms compared, hex case-insensitively). */
export function findCardValuesOnUser(
  current: readonly string[],
  card: CertificateUserIds,
): { value: string; form: MappingForm }[] {
  const keys = new Map(cardValueList(card).map(({ form, value }) => [comparisonKey(value), form]));
  return current.flatMap((value) => {
    const form = keys.get(comparisonKey(value));
    return form === undefined ? [] : [{ value, form }];
  });
}

/**
 * Plan removing a card's values from a user's list.
 *
 * With `replacement` (the new card's values), values the two cards share, typically the PrincipalName, stay: the
 * new card still needs them. For a lost or stolen card without replacement everything of the card goes.
 */
export function planCardRemoval(input: {
  current: readonly string[];
  card: CertificateUserIds;
  reason: RemovalReason;
  replacement?: CertificateUserIds;
}): RemovalPlan {
  const onUser = findCardValuesOnUser(input.current, input.card);
  const replacementKeys = new Set(
    input.replacement === undefined ? [] : cardValueList(input.replacement).map((v) => comparisonKey(v.value)),
  );
  const keptShared = onUser.filter((v) => replacementKeys.has(comparisonKey(v.value))).map((v) => v.value);
  const removed = onUser.filter((v) => !keptShared.includes(v.value));
  const removedSet = new Set(removed.map((v) => v.value));
  const next = input.current.filter((v) => !removedSet.has(v));
  return summarize(input.current, next, removed, keptShared);
}

/** Plan removing every `X509:` value of a user, or only those of the given forms (by-user removal). */
export function planUserRemoval(input: { current: readonly string[]; forms?: readonly MappingForm[] }): RemovalPlan {
  const removed = input.current.flatMap((value) => {
    const form = formOfValue(value);
    const selected = form !== null && (input.forms === undefined || input.forms.includes(form));
    return selected ? [{ value, form }] : [];
  });
  const removedSet = new Set(removed.map((v) => v.value));
  const next = input.current.filter((v) => !removedSet.has(v));
  return summarize(input.current, next, removed, []);
}

/** Forms whose value changes with every card; the others (PrincipalName, names, subject) describe the holder. */
export const PER_CARD_FORMS: readonly MappingForm[] = ['SKI', 'SHA1PublicKey', 'IssuerAndSerialNumber'];

/** Why a value of the card stays on the account. */
export type KeptReason = 'shared-with-enrolled-card';

/** A removal planned from what is on the account now, with what stays and why. */
export type DeskRemovalPlan = RemovalPlan & {
  kept: { value: string; form: MappingForm | null; reason: KeptReason }[];
  /** A kept holder value still matches the removed card until its certificate is revoked (lost or stolen card). */
  oldCardStillMatches: boolean;
};

/**
 * Plan a removal at the desk: by card (its values found on the account) or by explicit values (by-user removal).
 *
 * When the account still holds a per-card value (SKI, key hash, serial) of **another** card, that card is enrolled
 * for the same holder: holder values this card shares with it (the PrincipalName above all) stay, or removing a
 * replaced card would break the new one on tenants that bind PrincipalName.
 */
export function planDeskRemoval(input: {
  current: readonly string[];
  card?: CertificateUserIds | undefined;
  values?: readonly string[] | undefined;
  reason: RemovalReason;
}): DeskRemovalPlan {
  if (input.card === undefined) {
    const keys = new Set((input.values ?? []).map(comparisonKey));
    const removed = input.current.flatMap((value) =>
      keys.has(comparisonKey(value)) ? [{ value, form: formOfValue(value) }] : [],
    );
    const removedSet = new Set(removed.map((r) => r.value));
    const next = input.current.filter((v) => !removedSet.has(v));
    return { ...summarize(input.current, next, removed, []), kept: [], oldCardStillMatches: false };
  }
  const onUser = findCardValuesOnUser(input.current, input.card);
  const onUserKeys = new Set(onUser.map((v) => comparisonKey(v.value)));
  const otherCardEnrolled = input.current.some((v) => {
    const form = formOfValue(v);
    return form !== null && PER_CARD_FORMS.includes(form) && !onUserKeys.has(comparisonKey(v));
  });
  const kept = otherCardEnrolled
    ? onUser
        .filter((v) => !PER_CARD_FORMS.includes(v.form))
        .map((v) => ({ value: v.value, form: v.form, reason: 'shared-with-enrolled-card' as const }))
    : [];
  const keptSet = new Set(kept.map((k) => k.value));
  const removed = onUser.filter((v) => !keptSet.has(v.value));
  const removedSet = new Set(removed.map((v) => v.value));
  const next = input.current.filter((v) => !removedSet.has(v));
  return {
    ...summarize(input.current, next, removed, [...keptSet]),
    kept,
    oldCardStillMatches: kept.length > 0 && (input.reason === 'lost' || input.reason === 'stolen'),
  };
}
