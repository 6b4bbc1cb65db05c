import { describe, expect, it } from 'vitest';
import type { Entity } from '../../../../emulators/graph/model';
import { compileFilter, compileSearch, FilterError, select } from '../../../../emulators/graph/odata';

const users: Entity[] = [
  {
    id: '1',
    displayName: 'Élodie Martin',
    userPrincipalName: 'elodie.martin@x.fr',
    onPremisesSyncEnabled: true,
    authorizationInfo: { certificateUserIds: ['X509:<PN>a@carte-cps.fr'] },
  },
  {
    id: '2',
    displayName: 'Julien Bernard',
    userPrincipalName: 'julien.bernard@x.fr',
    onPremisesSyncEnabled: null,
    authorizationInfo: { certificateUserIds: [] },
  },
  {
    id: '3',
    displayName: "Chloé D'Arc",
    userPrincipalName: 'chloe.darc@x.fr',
    onPremisesSyncEnabled: null,
    authorizationInfo: { certificateUserIds: ['X509:<SKI>AB'] },
  },
];

describe('odata filter', () => {
  it.each([
    ["displayName eq 'Julien Bernard'", ['2'], false],
    ["startswith(displayName,'é')", ['1'], false],
    ["startswith(userPrincipalName,'j') or startswith(userPrincipalName,'c')", ['2', '3'], false],
    ['onPremisesSyncEnabled eq true', ['1'], false],
    ["displayName eq 'Chloé D''Arc'", ['3'], false],
    ["authorizationInfo/certificateUserIds/any(x:x eq 'X509:<SKI>AB')", ['3'], true],
    ["displayName ne 'Julien Bernard'", ['1', '3'], true],
    ["endswith(userPrincipalName,'darc@x.fr')", ['3'], true],
    [
      "(startswith(displayName,'J') or startswith(displayName,'C')) and onPremisesSyncEnabled eq null",
      ['2', '3'],
      false,
    ],
  ] as const)('%s', (filter, ids, advanced) => {
    const f = compileFilter(filter);
    expect(users.filter(f.test).map((u) => u.id)).toEqual(ids);
    expect(f.advanced).toBe(advanced);
  });

  it.each(["displayName eq 'open", 'displayName gt 3', 'startswith(displayName', "displayName eq 'a' extra"])(
    'rejects %s',
    (filter) => {
      expect(() => compileFilter(filter)).toThrow(FilterError);
    },
  );

  it('searches word prefixes', () => {
    expect(users.filter(compileSearch('"displayName:bern"')).map((u) => u.id)).toEqual(['2']);
  });

  it('selects only the asked properties plus id', () => {
    expect(select(users[0]!, ['displayName'])).toEqual({ id: '1', displayName: 'Élodie Martin' });
  });
});
