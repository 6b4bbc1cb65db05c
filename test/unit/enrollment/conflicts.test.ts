import { describe, expect, it } from 'vitest';
import { buildCertificateUserIdsLookups, findConflicts, type DirectoryUser } from '../../../shared/enrollment';

const PN = "X509:<PN>o'brien@carte-cps.fr";
const SKI = 'X509:<SKI>3F0F9C73269D3B91CB041B38E994B4D304C5A897';

const holder = (id: string, values: string[], extra: Partial<DirectoryUser> = {}): DirectoryUser => ({
  id,
  userPrincipalName: `${id}@chu.fr`,
  authorizationInfo: { certificateUserIds: values },
  ...extra,
});

describe('buildCertificateUserIdsLookups', () => {
  it('builds one advanced any() query per distinct value with quotes doubled', () => {
    const queries = buildCertificateUserIdsLookups([PN, SKI, PN]);
    expect(queries.map((q) => q.query.$filter)).toEqual([
      "authorizationInfo/certificateUserIds/any(x:x eq 'X509:<PN>o''brien@carte-cps.fr')",
      "authorizationInfo/certificateUserIds/any(x:x eq 'X509:<SKI>3F0F9C73269D3B91CB041B38E994B4D304C5A897')",
    ]);
    for (const q of queries) {
      expect(q.query.$count).toBe(true);
      expect(q.headers).toEqual({ ConsistencyLevel: 'eventual' });
      expect(q.query.$select).toContain('authorizationInfo');
    }
  });
});

describe('findConflicts', () => {
  it.each<[string, DirectoryUser[], { userId: string; value: string; isExact: boolean }[]]>([
    ['nobody else', [holder('target', [PN, SKI])], []],
    [
      'another user with the PN',
      [holder('target', []), holder('other', ['X509:<PN>x', PN])],
      [{ userId: 'other', value: PN, isExact: true }],
    ],
    [
      'another user with the SKI in lower case',
      [holder('other', [SKI.toLowerCase().replace('x509:<ski>', 'X509:<SKI>')])],
      [{ userId: 'other', value: SKI, isExact: false }],
    ],
    ['a stale search hit whose list changed', [holder('other', ['X509:<PN>x'])], []],
    [
      'two users, two values',
      [holder('b', [SKI]), holder('a', [PN])],
      [
        { userId: 'b', value: SKI, isExact: true },
        { userId: 'a', value: PN, isExact: true },
      ],
    ],
  ])('finds %s', (_label, users, expected) => {
    const conflicts = findConflicts({ values: [PN, SKI], targetUserId: 'target', users });
    expect(conflicts.map(({ userId, value, isExact }) => ({ userId, value, isExact }))).toEqual(expected);
  });

  it('reports each user-value pair once even when returned by several lookups', () => {
    const other = holder('other', [PN], { onPremisesSyncEnabled: true, displayName: 'Other' });
    const conflicts = findConflicts({ values: [PN], targetUserId: null, users: [other, other] });
    expect(conflicts).toEqual([
      {
        value: PN,
        form: 'PrincipalName',
        heldValue: PN,
        userId: 'other',
        userPrincipalName: 'other@chu.fr',
        displayName: 'Other',
        isSynced: true,
        isExact: true,
      },
    ]);
  });
});
