import { describe, expect, it } from 'vitest';
import { findCardValuesOnUser, planCardRemoval, planUserRemoval } from '../../../shared/enrollment';
import type { CertificateUserIds } from '../../../shared/mapping';
import { loadCpeCard } from './fixtures';

const renewed = (card: CertificateUserIds): CertificateUserIds => ({
  ...card,
  SKI: 'X509:<SKI>1111111111111111111111111111111111111111',
  SHA1PublicKey: 'X509:<SHA1-PUKEY>2222222222222222222222222222222222222222',
  IssuerAndSerialNumber: (card.IssuerAndSerialNumber ?? '').replace(/<SR>.*$/, '<SR>00aa'),
});

const { values: card } = await loadCpeCard();

describe('removal', () => {
  const other = 'X509:<PN>someone-else@carte-cps.fr';

  it('finds every form of the card on the user, whatever the hex case', () => {
    const current = [
      other,
      card.PrincipalName ?? '',
      (card.SKI ?? '').toLowerCase().replace('x509:<ski>', 'X509:<SKI>'),
      card.IssuerAndSerialNumber ?? '',
      card.Subject ?? '',
    ];
    expect(findCardValuesOnUser(current, card).map((v) => v.form)).toEqual([
      'PrincipalName',
      'SKI',
      'IssuerAndSerialNumber',
      'Subject',
    ]);
  });

  it.each<[string, 'lost' | 'replaced', boolean, string[], boolean, boolean]>([
    ['lost card: everything of the card goes', 'lost', false, ['other'], false, false],
    ['replaced card: the shared PN stays for the new card', 'replaced', true, ['other', 'PN'], false, false],
  ])('%s', (_label, reason, withReplacement, kept, leavesNoMapping, keepsHighAffinity) => {
    const current = [other, card.PrincipalName ?? '', card.SKI ?? ''];
    const plan = planCardRemoval({ current, card, reason, ...(withReplacement ? { replacement: renewed(card) } : {}) });
    const names = plan.next.map((v) => (v === other ? 'other' : v === card.PrincipalName ? 'PN' : v));
    expect(names).toEqual(kept);
    expect(plan.leavesNoMapping).toBe(leavesNoMapping);
    expect(plan.keepsHighAffinity).toBe(keepsHighAffinity);
    expect(plan.keptShared).toEqual(withReplacement ? [card.PrincipalName] : []);
  });

  it('warns when nothing is left and is a no-op when the card is absent', () => {
    const gone = planCardRemoval({ current: [card.SKI ?? ''], card, reason: 'stolen' });
    expect(gone).toMatchObject({ next: [], unchanged: false, leavesNoMapping: true });
    const none = planCardRemoval({ current: [other], card, reason: 'lost' });
    expect(none).toMatchObject({ next: [other], removed: [], unchanged: true, leavesNoMapping: false });
  });

  it.each<[string, ('SKI' | 'PrincipalName')[] | undefined, number]>([
    ['all X509 values of the user', undefined, 0],
    ['only SKI values', ['SKI'], 2],
  ])('removes by user: %s', (_label, forms, left) => {
    const plan = planUserRemoval({
      current: [other, card.PrincipalName ?? '', card.SKI ?? ''],
      ...(forms ? { forms } : {}),
    });
    expect(plan.next).toHaveLength(left);
  });
});
