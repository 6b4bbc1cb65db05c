import { describe, expect, it } from 'vitest';
import { GraphHttpError } from '../../../../emulators/graph/errors';
import { FaultInjector } from '../../../../emulators/graph/faults';
import { certificateUserIds } from '../../../../emulators/graph/model';
import { directoryRoutes } from '../../../../emulators/graph/routes-directory';
import type { RouteContext } from '../../../../emulators/graph/route-types';
import { seedTenants } from '../../../../emulators/graph/seed/tenants';

const patchUser = directoryRoutes.find((r) => r.method === 'PATCH' && r.pattern.source.includes('users'))!;
const addMember = directoryRoutes.find((r) => r.method === 'POST')!;

const ctx = (tenant: RouteContext['tenant'], body: unknown): RouteContext => ({
  tenant,
  body,
  query: new URLSearchParams(),
  consistencyLevel: undefined,
  ids: { requestId: 'r', clientRequestId: 'c' },
  serviceRoot: 'https://x/v1.0',
  path: '/users/x',
});

const demo = () => {
  const t = seedTenants().find((x) => x.key === 'clinique-demo')!;
  const cloud = t.users.filter((u) => u.onPremisesSyncEnabled !== true && u.id.startsWith('00000002-0001'));
  const synced = t.users.find((u) => u.onPremisesSyncEnabled === true)!;
  const holder = t.users.find((u) => certificateUserIds(u).length > 0)!;
  return { t, cloud, synced, holder };
};

const outcome = (run: () => unknown): string => {
  try {
    run();
    return 'ok';
  } catch (e) {
    return e instanceof GraphHttpError ? `${e.status} ${e.message}` : 'crash';
  }
};

describe('Graph emulator certificateUserIds rules', () => {
  it.each([
    [
      'accepts up to the limit',
      (n: ReturnType<typeof demo>) => ({ user: n.cloud[1]!, ids: 'abcdefghij'.split('') }),
      /^ok$/,
    ],
    [
      'refuses above the limit',
      (n: ReturnType<typeof demo>) => ({ user: n.cloud[1]!, ids: 'abcdefghijk'.split('') }),
      /^400 The maximum number/,
    ],
    [
      'refuses a value over 1024 characters',
      (n: ReturnType<typeof demo>) => ({ user: n.cloud[1]!, ids: ['x'.repeat(1025)] }),
      /^400 Invalid value/,
    ],
    [
      'refuses duplicates in the list',
      (n: ReturnType<typeof demo>) => ({ user: n.cloud[1]!, ids: ['a', 'a'] }),
      /^400 Duplicate/,
    ],
    [
      'refuses synced users',
      (n: ReturnType<typeof demo>) => ({ user: n.synced, ids: ['X509:<PN>new'] }),
      /^400 Unable to update .* on-premises mastered/,
    ],
    [
      'refuses a value held by another user',
      (n: ReturnType<typeof demo>) => ({
        user: n.cloud.find((u) => u.id !== n.holder.id)!,
        ids: certificateUserIds(n.holder),
      }),
      /^400 Another object/,
    ],
    [
      'lets a user keep its own values',
      (n: ReturnType<typeof demo>) => ({ user: n.holder, ids: certificateUserIds(n.holder) }),
      /^ok$/,
    ],
  ])('%s', (_name, pick, expected) => {
    const n = demo();
    const { user, ids } = pick(n);
    const before = JSON.stringify(user.authorizationInfo);
    const result = outcome(() =>
      patchUser.handle(ctx(n.t, { authorizationInfo: { certificateUserIds: ids } }), [user.id]),
    );
    expect(result).toMatch(expected);
    if (result === 'ok') {
      expect(certificateUserIds(user)).toEqual(ids);
    } else {
      expect(JSON.stringify(user.authorizationInfo)).toBe(before);
    }
  });

  it('treats the value limit as data', () => {
    const n = demo();
    // An older tenant (Graph's earlier documentation said 5): the same rule, another figure.
    n.t.limits.certificateUserIds = 3;
    const patch = (ids: string[]) =>
      outcome(() => patchUser.handle(ctx(n.t, { authorizationInfo: { certificateUserIds: ids } }), [n.cloud[1]!.id]));
    expect(patch(['a', 'b', 'c'])).toBe('ok');
    expect(patch(['a', 'b', 'c', 'd'])).toMatch(/^400 The maximum number/);
  });

  it("answers Graph's 400 when adding an existing member", () => {
    const n = demo();
    const g = n.t.groups[0]!;
    const member = n.t.members[g.id]![0]!;
    expect(
      outcome(() =>
        addMember.handle(ctx(n.t, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${member}` }), [
          g.id,
        ]),
      ),
    ).toMatch(/^400 One or more added object references already exist/);
  });
});

describe('Graph emulator fault injection', () => {
  it('replays the same decisions for the same seed', () => {
    const run = (seed: number) => {
      const f = new FaultInjector();
      f.set(
        [
          { kind: 'throttle', probability: 0.3 },
          { kind: 'server-error', probability: 0.2 },
        ],
        seed,
      );
      return Array.from({ length: 50 }, (_, i) => f.decide(`GET /users/${i}`, 0).fault?.kind ?? '-').join(',');
    };
    expect(run(42)).toBe(run(42));
    expect(run(42)).not.toBe(run(43));
  });

  it('stops a rule after `times` injections and honours route filters', () => {
    const f = new FaultInjector();
    f.set([{ kind: 'reset', route: /^PATCH /, times: 2 }]);
    const kinds = ['PATCH /users/1', 'GET /users', 'PATCH /users/2', 'PATCH /users/3'].map(
      (k) => f.decide(k, 0).fault?.kind ?? '-',
    );
    expect(kinds).toEqual(['reset', '-', 'reset', '-']);
  });
});
