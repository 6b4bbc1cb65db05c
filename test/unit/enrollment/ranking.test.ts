import { describe, expect, it } from 'vitest';
import { rankCandidates, RANK_WEIGHTS, type CardFacts, type DirectoryUser } from '../../../shared/enrollment';

const card: CardFacts = {
  givenName: 'HELENE',
  surname: 'DUPRE',
  identifier: { type: 'rpps', value: '99700434378' },
  upn: '8.99700434378@carte-cps.fr',
};

const u = (id: string, extra: Partial<DirectoryUser>): DirectoryUser => ({ id, ...extra });

describe('rankCandidates', () => {
  it.each<[string, DirectoryUser, string[]]>([
    [
      'identifier attribute',
      u('a', { onPremisesExtensionAttributes: { extensionAttribute1: '899700434378' } }),
      ['identifier-match'],
    ],
    ['employeeId', u('a', { employeeId: '99700434378' }), ['employee-id-match']],
    ['card UPN as mail', u('a', { mail: '8.99700434378@CARTE-CPS.FR' }), ['upn-match']],
    ['exact name with accents', u('a', { givenName: 'Hélène', surname: 'Dupré' }), ['exact-name']],
    ['display name reversed', u('a', { displayName: 'Dupré Hélène' }), ['display-name-match']],
    ['surname only', u('a', { givenName: 'Marc', surname: 'dupre' }), ['surname-match']],
    ['compound surname', u('a', { surname: 'Dupré-Martin' }), ['partial-name']],
    [
      'UPN local part holds the id',
      u('a', { userPrincipalName: 'rpps99700434378@chu.fr' }),
      ['upn-contains-identifier'],
    ],
    [
      'already mapped',
      u('a', { authorizationInfo: { certificateUserIds: ['X509:<PN>8.99700434378@carte-cps.fr'] } }),
      ['already-mapped'],
    ],
    [
      'disabled exact name',
      u('a', { givenName: 'Helene', surname: 'Dupre', accountEnabled: false }),
      ['exact-name', 'account-disabled'],
    ],
  ])('scores %s', (_label, user, reasons) => {
    const [ranked] = rankCandidates(card, [user], {
      identifierAttribute: 'onPremisesExtensionAttributes/extensionAttribute1',
      cardValues: ['X509:<PN>8.99700434378@carte-cps.fr'],
    });
    expect(ranked?.reasons).toEqual(reasons);
    expect(ranked?.score).toBe(reasons.reduce((s, r) => s + RANK_WEIGHTS[r as keyof typeof RANK_WEIGHTS], 0));
  });

  it('puts the identifier match above an exact namesake and drops unrelated users', () => {
    const users = [
      u('namesake', { givenName: 'Hélène', surname: 'Dupré', displayName: 'Hélène Dupré' }),
      u('stranger', { givenName: 'Paul', surname: 'Martin' }),
      u('owner', { givenName: 'H.', surname: 'Dupré', employeeId: '899700434378' }),
    ];
    const ranked = rankCandidates(card, users);
    expect(ranked.map((r) => r.user.id)).toEqual(['owner', 'namesake']);
    expect(ranked.map((r) => r.confidence)).toEqual(['high', 'medium']);
  });

  it('breaks ties deterministically whatever the input order', () => {
    const users = [
      u('3', { givenName: 'Helene', surname: 'Dupre', displayName: 'Helene Dupre', userPrincipalName: 'b@x.fr' }),
      u('1', { givenName: 'Helene', surname: 'Dupre', displayName: 'Helene Dupre', userPrincipalName: 'a@x.fr' }),
      u('2', { givenName: 'Helene', surname: 'Dupre', displayName: 'Helene Dupre', userPrincipalName: 'a@x.fr' }),
    ];
    const forward = rankCandidates(card, users).map((r) => r.user.id);
    const backward = rankCandidates(card, [...users].reverse()).map((r) => r.user.id);
    expect(forward).toEqual(['1', '2', '3']);
    expect(backward).toEqual(forward);
  });

  it('deduplicates users returned by several queries and keeps unmatched ones on request', () => {
    const users = [u('x', { surname: 'Dupre' }), u('x', { surname: 'Dupre' }), u('y', { surname: 'Other' })];
    expect(rankCandidates(card, users).map((r) => r.user.id)).toEqual(['x']);
    expect(rankCandidates(card, users, { keepUnmatched: true }).map((r) => r.user.id)).toEqual(['x', 'y']);
  });
});
