import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GraphService } from '../../../electron/services/graph/index';
import { createGraphService } from '../../../electron/services/graph/index';
import { roleTemplateIds } from '../../../emulators/graph/index';
import { AppError } from '../../../shared/errors';
import type { Emulators } from '../../helpers/emulators/index';
import { demoAdmin, demoReader, startEmulators } from '../../helpers/emulators/index';

type User = { id: string; onPremisesSyncEnabled?: boolean; authorizationInfo?: unknown };

describe('Graph emulator strictness: faults after a write, gateway errors, roles on reads', () => {
  let emu: Emulators;
  const services: GraphService[] = [];
  const scopes = [
    'User.ReadWrite.All',
    'User.Read.All',
    'GroupMember.ReadWrite.All',
    'PublicKeyInfrastructure.Read.All',
  ];

  /** A Graph service whose tokens come from `token`. */
  const serviceWith = (token: (scopes: readonly string[]) => string): GraphService => {
    const graph = createGraphService({
      baseUrl: emu.graph.url,
      caCertPem: emu.graph.caCertPem,
      tenantId: emu.graph.tenant('clinique-demo').id,
      readScopes: ['User.Read.All'],
      tokens: (r) => Promise.resolve(token(r.scopes)),
      retry: { baseDelayMs: 10, maxDelayMs: 50, maxAttempts: 6 },
    });
    services.push(graph);
    return graph;
  };
  const as = (upn: string) => serviceWith((s) => emu.authority.issueAccessToken({ userPrincipalName: upn, scopes: s }));

  const cloudUsers = (): User[] =>
    emu.graph
      .tenant('clinique-demo')
      .users.filter((u) => u.onPremisesSyncEnabled !== true && u.id.startsWith('00000002-0001'));
  const patchesOf = (id: string) => emu.graph.requests.filter((r) => r.method === 'PATCH' && r.path === `/users/${id}`);

  beforeAll(async () => {
    emu = await startEmulators();
  });
  afterEach(() => {
    emu.graph.setFaults([]);
  });
  afterAll(async () => {
    for (const s of services) {
      s.close();
    }
    await emu.close();
  });

  it('never repeats a PATCH whose connection was reset after the write was applied', async () => {
    const graph = as(demoAdmin);
    const user = cloudUsers()[3]!;
    emu.graph.setFaults([{ kind: 'reset-after-apply', route: /^PATCH \/users\//, times: 1 }]);
    const error: unknown = await graph
      .patch(
        `/users/${user.id}`,
        { authorizationInfo: { certificateUserIds: ['X509:<PN>reset-applied@carte-cps.fr'] } },
        { scopes },
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('graph.offline');
    expect((error as AppError).details?.outcomeUnknown).toBe(true);
    expect(patchesOf(user.id)).toHaveLength(1);
    // The write is in the tenant although the client never saw the reply.
    expect(JSON.stringify(user.authorizationInfo)).toContain('reset-applied');
  });

  it('never resends a $batch of writes whose connection was reset after its items were applied', async () => {
    const graph = as(demoAdmin);
    const user = cloudUsers()[4]!;
    const before = emu.graph.requests.filter((r) => r.path === '/$batch').length;
    emu.graph.setFaults([{ kind: 'reset-after-apply', route: /^PATCH \/users\//, times: 1 }]);
    await expect(
      graph.batch(
        [
          {
            method: 'PATCH',
            url: `/users/${user.id}`,
            body: { authorizationInfo: { certificateUserIds: ['X509:<PN>batch-applied@carte-cps.fr'] } },
          },
        ],
        { scopes },
      ),
    ).rejects.toMatchObject({ code: 'graph.offline', details: { outcomeUnknown: true } });
    expect(emu.graph.requests.filter((r) => r.path === '/$batch').length - before).toBe(1);
    expect(JSON.stringify(user.authorizationInfo)).toContain('batch-applied');
  });

  it('retries reads through 502 and 504 (honouring Retry-After) but never a write after either', async () => {
    const graph = as(demoAdmin);
    emu.graph.setFaults([
      { kind: 'bad-gateway', route: /^GET \/users$/, times: 1 },
      { kind: 'gateway-timeout', route: /^GET \/users$/, times: 1, retryAfterSeconds: 1 },
    ]);
    const page = await graph.get<{ value: unknown[] }>('/users?$top=2');
    expect(page.value).toHaveLength(2);
    expect(emu.graph.faults.log.map((f) => f.kind)).toEqual(['bad-gateway', 'gateway-timeout']);

    const user = cloudUsers()[5]!;
    // A 504 carrying Retry-After is Graph asking to come back later: the app reports it as throttled.
    for (const [kind, code] of [
      ['bad-gateway', 'graph.server-error'],
      ['gateway-timeout', 'graph.throttled'],
    ] as const) {
      emu.graph.setFaults([{ kind, route: /^PATCH/, times: 1, retryAfterSeconds: 1 }]);
      const before = patchesOf(user.id).length;
      await expect(
        graph.patch(`/users/${user.id}`, { authorizationInfo: { certificateUserIds: [] } }, { scopes }),
      ).rejects.toMatchObject({ code });
      expect(patchesOf(user.id).length - before).toBe(1);
    }
  });

  it('checks directory roles on reads: Global Reader cannot read the PKI store (403 in Graph shape, hint names the role)', async () => {
    const reader = as(demoReader);
    // The token carries the scopes: what is refused is the role.
    const pkiScopes = { scopes: ['PublicKeyInfrastructure.Read.All', 'Policy.Read.All'] };
    const error: unknown = await reader
      .get('/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations', pkiScopes)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).details).toMatchObject({
      status: 403,
      graphCode: 'Authorization_RequestDenied',
      leastRole: 'Authentication Administrator',
    });
    expect((error as AppError).code).toBe('graph.forbidden');
    // Global Reader still reads conditional access and the methods policy.
    await expect(reader.get('/policies/authenticationMethodsPolicy', pkiScopes)).resolves.toBeDefined();
    await expect(
      as(demoAdmin).get('/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations', pkiScopes),
    ).resolves.toBeDefined();
  });

  it('lets a Groups Administrator (the role the 403 hint names) add a group member', async () => {
    const t = emu.graph.tenant('clinique-demo');
    const account = emu.authority.state.findAccount('1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f0202');
    expect(account).toBeDefined();
    const now = Math.floor(Date.now() / 1000);
    const groupsAdmin = serviceWith((s) =>
      emu.authority.sign({
        aud: '00000003-0000-0000-c000-000000000000',
        iss: `${emu.authority.url}/${t.id}/v2.0`,
        iat: now,
        nbf: now,
        exp: now + 600,
        tid: t.id,
        oid: account?.account.oid,
        scp: s.join(' '),
        wids: [roleTemplateIds.groupsAdministrator],
        ver: '2.0',
      }),
    );
    const group = t.groups[0]!;
    const outside = cloudUsers().filter((u) => !(t.members[group.id] ?? []).includes(u.id));
    const user = outside[0]!;
    await groupsAdmin.post(
      `/groups/${group.id}/members/$ref`,
      { '@odata.id': `${emu.graph.url}/v1.0/directoryObjects/${user.id}` },
      { scopes: ['GroupMember.ReadWrite.All'] },
    );
    const error: unknown = await as(demoReader)
      .post(
        `/groups/${group.id}/members/$ref`,
        { '@odata.id': `${emu.graph.url}/v1.0/directoryObjects/${outside[1]!.id}` },
        {
          scopes: ['GroupMember.ReadWrite.All'],
        },
      )
      .catch((e: unknown) => e);
    expect((error as AppError).details).toMatchObject({ status: 403, leastRole: 'Groups Administrator' });
  });
});
