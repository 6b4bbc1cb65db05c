import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphService } from '../../../electron/services/graph/index';
import { createGraphService } from '../../../electron/services/graph/index';
import { assertConformant, createGraphConformanceChecker } from '../../helpers/emulators/graph-conformance';
import type { Emulators } from '../../helpers/emulators/index';
import { demoAdmin, startEmulators } from '../../helpers/emulators/index';

/** The opt-in conformance hook sees what really crosses the wire, and a finding fails the helper's teardown. */
describe('Graph emulator conformance hook', () => {
  let emu: Emulators;
  let graph: GraphService;
  const scopes = ['User.Read.All', 'User.ReadWrite.All', 'GroupMember.Read.All', 'Policy.Read.All'];

  beforeAll(async () => {
    // The helper's own teardown check is off here: this test makes findings on purpose and asserts them itself.
    emu = await startEmulators({ conformance: false, graph: { conformance: createGraphConformanceChecker() } });
    graph = createGraphService({
      baseUrl: emu.graph.url,
      caCertPem: emu.graph.caCertPem,
      tenantId: emu.graph.tenant('clinique-demo').id,
      readScopes: scopes,
      tokens: (r) =>
        Promise.resolve(emu.authority.issueAccessToken({ userPrincipalName: demoAdmin, scopes: r.scopes })),
      retry: { maxAttempts: 1 },
    });
  });
  afterAll(async () => {
    graph.close();
    await emu.close();
  });

  const cloudUser = () => {
    const user = emu.graph.tenant('clinique-demo').users.find((u) => u.onPremisesSyncEnabled !== true);
    if (!user) {
      throw new Error('seed has no cloud-only user');
    }
    return user;
  };

  it('finds nothing in schema-valid reads, $filter/$count queries, /users/{id}, /groups/{id} and error bodies', async () => {
    emu.graph.violations.length = 0;
    const user = cloudUser();
    const group = emu.graph.tenant('clinique-demo').groups[0];
    await graph.get(`/users/${user.id}?$select=id,displayName,authorizationInfo`);
    await graph.get(`/groups/${group?.id ?? ''}`);
    await graph.get("/users?$filter=startswith(displayName,'A')&$count=true&$select=id,displayName");
    await graph.get('/users/00000000-0000-0000-0000-00000000dead').catch(() => undefined);
    await graph.batch([
      { method: 'GET', url: `/users/${user.id}?$select=id` },
      { method: 'GET', url: '/users/00000000-0000-0000-0000-00000000beef' },
    ]);
    expect(emu.graph.violations).toEqual([]);
  });

  it('records an unknown property in a request body, in a $batch item body and in a response', async () => {
    emu.graph.violations.length = 0;
    const user = cloudUser();
    await graph
      .patch(`/users/${user.id}`, { authorizationInfo: { certificateUserIds: [] }, madeUpProperty: true }, { scopes })
      .catch(() => undefined);
    await graph.batch([{ method: 'PATCH', url: `/users/${user.id}`, body: { inventedInBatch: 1 } }], { scopes });
    user.responseOnlyInvention = 'x';
    try {
      await graph.get(`/users/${user.id}?$select=id,responseOnlyInvention`);
    } finally {
      delete user.responseOnlyInvention;
    }
    const problems = emu.graph.violations.map((v) => `${v.method} ${v.problem}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PATCH request \$\.madeUpProperty: unknown property/),
        expect.stringMatching(/^PATCH request \$\.inventedInBatch: unknown property/),
        expect.stringMatching(/^GET response \$\.responseOnlyInvention: unknown property/),
      ]),
    );
    expect(() => {
      assertConformant(emu.graph.violations);
    }).toThrow(/Graph schema conformance: \d+ finding/);
    emu.graph.violations.length = 0;
  });
});
