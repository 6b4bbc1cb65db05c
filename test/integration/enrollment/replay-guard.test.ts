import { beforeAll, describe, expect, it } from 'vitest';
import { resolveDer } from '../../../electron/services/enrollment/card';
import type { ResolvedCard } from '../../../electron/services/enrollment/card';
import { holdUnlessHolder, isQueuedByUpn } from '../../../electron/services/enrollment/replay-guard';
import type { DirectoryUser } from '../../../shared/enrollment';
import { issueCard, practitioner } from './harness';

/** A directory user as Graph returns it (only what the ranking reads). */
const user = (fields: Partial<DirectoryUser>): DirectoryUser => ({
  id: 'u-1',
  userPrincipalName: 'someone@clinique-demo.fr',
  displayName: 'Someone',
  givenName: null,
  surname: null,
  ...fields,
});

describe('replay guard: an account named by UPN must be the card holder before anything is written', () => {
  let card: ResolvedCard;
  beforeAll(async () => {
    const der = await issueCard(practitioner('Clémence', 'Michel', '10100000077', '2800000077'));
    card = await resolveDer(new Uint8Array(Buffer.from(der, 'base64')));
  }, 60_000);

  it.each([
    ['clemence.michel@clinique-demo.fr', true],
    ['00000002-0001-4000-8000-000000000014', false],
  ])('%s is named by UPN: %s', (ref, expected) => {
    expect(isQueuedByUpn(ref)).toBe(expected);
  });

  it.each<[string, Partial<DirectoryUser>, { confidence: string; reasons: string[] } | null]>([
    ['the national identifier in employeeId', { employeeId: '10100000077', surname: 'Autre' }, null],
    ['the card already mapped', { authorizationInfo: { certificateUserIds: ['__CARD_VALUE__'] } }, null],
    [
      'a namesake (same given name and surname, no identifier)',
      { givenName: 'Clemence', surname: 'MICHEL', displayName: 'Clémence Michel' },
      { confidence: 'medium', reasons: ['exact-name'] },
    ],
    ['the surname only', { givenName: 'Paul', surname: 'Michel' }, { confidence: 'low', reasons: ['surname-match'] }],
    ['nothing in common', { givenName: 'Paul', surname: 'Durand' }, { confidence: 'none', reasons: [] }],
    [
      'another identifier in employeeId and the same name',
      { employeeId: '10100000099', givenName: 'Clémence', surname: 'Michel' },
      { confidence: 'medium', reasons: ['exact-name'] },
    ],
  ])('an account with %s', (_label, fields, expected) => {
    const value = card.list[0]?.value ?? '';
    const withValue = JSON.parse(JSON.stringify(fields).replace('__CARD_VALUE__', value)) as Partial<DirectoryUser>;
    const hold = holdUnlessHolder(card, user(withValue), null);
    if (expected === null) {
      expect(hold).toBeNull();
    } else {
      expect(hold).toMatchObject({ ...expected, userId: 'u-1', userPrincipalName: 'someone@clinique-demo.fr' });
      expect(hold?.cardHolder).toMatch(/Clémence/);
    }
  });

  it('uses the configured identifier attribute', () => {
    const attribute = 'extension_abc_rpps';
    const account = user({ [attribute]: '10100000077' });
    expect(holdUnlessHolder(card, account, attribute)).toBeNull();
    expect(holdUnlessHolder(card, account, null)).toMatchObject({ confidence: 'none' });
  });
});
