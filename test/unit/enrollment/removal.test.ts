import { describe, expect, it } from 'vitest';
import { findCardValuesOnUser, planCardRemoval, planDeskRemoval, planUserRemoval } from '../../../shared/enrollment';
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

  describe('at the desk (keeps what another enrolled card of the holder shares)', () => {
    const next = renewed(card);
    const pn = card.PrincipalName ?? '';
    const oldSki = card.SKI ?? '';
    const newSki = next.SKI ?? '';
    it.each<[string, string[], 'lost' | 'stolen' | 'replaced' | 'other', string[], string[], boolean]>([
      ['replaced, new card enrolled: PN stays', [pn, oldSki, newSki], 'replaced', [oldSki], [pn], false],
      [
        'stolen, new card enrolled: PN stays, old card still matches',
        [pn, oldSki, newSki],
        'stolen',
        [oldSki],
        [pn],
        true,
      ],
      ['lost, no other card: everything goes', [pn, oldSki, other], 'lost', [pn, oldSki], [], false],
      ['card absent: nothing to do', [other, newSki], 'other', [], [], false],
    ])('%s', (_label, current, reason, removed, kept, stillMatches) => {
      const plan = planDeskRemoval({ current, card, reason });
      expect(plan.removed.map((r) => r.value)).toEqual(removed);
      expect(plan.kept.map((k) => k.value)).toEqual(kept);
      expect(plan.next).toEqual(current.filter((v) => !removed.includes(v)));
      expect(plan.oldCardStillMatches).toBe(stillMatches);
    });

    it('removes picked values by user, whatever their hex case', () => {
      const plan = planDeskRemoval({
        current: [other, oldSki],
        values: [oldSki.toLowerCase().replace('x509:<ski>', 'X509:<SKI>')],
        reason: 'other',
      });
      expect(plan.next).toEqual([other]);
      expect(plan.kept).toEqual([]);
    });
  });
});
