import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FaultRule } from '../../../emulators/graph/faults';
import type { GraphService } from '../../../electron/services/graph/index';
import { createGraphService } from '../../../electron/services/graph/index';
import { AppError } from '../../../shared/errors';
import type { Emulators } from '../../helpers/emulators/index';
import { demoAdmin, startEmulators } from '../../helpers/emulators/index';

type CloudUser = { id: string; authorizationInfo?: unknown };

/**
 * `retryWrites: false`: a write computed from an earlier read is sent once; whatever Graph answers (throttled,
 * unavailable, reset), the caller gets the typed error and decides, so a stale list never overwrites another
 * agent's value.
 */
describe('graph client: writes the caller does not want resent', () => {
  let emu: Emulators;
  let graph: GraphService;
  let cloud: CloudUser[];
  const scopes = ['User.ReadWrite.All'];
  const body = (v: string) => ({ authorizationInfo: { certificateUserIds: [`X509:<PN>${v}@carte-cps.fr`] } });

  beforeAll(async () => {
    emu = await startEmulators();
    graph = createGraphService({
      baseUrl: emu.graph.url,
      caCertPem: emu.graph.caCertPem,
      tenantId: emu.graph.tenant('clinique-demo').id,
      readScopes: ['User.Read.All'],
      tokens: (r) =>
        Promise.resolve(emu.authority.issueAccessToken({ userPrincipalName: demoAdmin, scopes: r.scopes })),
      retry: { baseDelayMs: 5, maxDelayMs: 20 },
    });
    cloud = emu.graph
      .tenant('clinique-demo')
      .users.filter((u) => u.onPremisesSyncEnabled !== true && u.id.startsWith('00000002-0001'));
  });
  afterEach(() => {
    emu.graph.setFaults([]);
  });
  afterAll(async () => {
    graph.close();
    await emu.close();
  });

  const patchesServed = () => emu.graph.requests.filter((r) => r.method === 'PATCH');

  it.each<{ name: string; fault: FaultRule; code: string; retryAfterSeconds?: number; outcomeUnknown?: boolean }>([
    {
      name: '429 with Retry-After',
      fault: { kind: 'throttle', retryAfterSeconds: 1 },
      code: 'graph.throttled',
      retryAfterSeconds: 1,
    },
    { name: '429 without Retry-After', fault: { kind: 'throttle-no-retry-after' }, code: 'graph.throttled' },
    {
      name: '503 with Retry-After',
      fault: { kind: 'unavailable', retryAfterSeconds: 2 },
      code: 'graph.throttled',
      retryAfterSeconds: 2,
    },
    { name: '504 without Retry-After', fault: { kind: 'gateway-timeout' }, code: 'graph.server-error' },
    { name: 'a reset before applying', fault: { kind: 'reset' }, code: 'graph.offline', outcomeUnknown: true },
    {
      name: 'a reset after applying',
      fault: { kind: 'reset-after-apply' },
      code: 'graph.offline',
      outcomeUnknown: true,
    },
  ])('a PATCH answered by $name is sent once and reported as $code', async (c) => {
    const user = cloud[3]!;
    emu.graph.requests.length = 0;
    emu.graph.setFaults([{ ...c.fault, route: /^PATCH \/users\//, times: 1 }]);
    const error: unknown = await graph
      .patch(`/users/${user.id}`, body(c.name.replace(/\W/g, '')), { scopes, retryWrites: false })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    const e = error as AppError;
    expect(e.code).toBe(c.code);
    if (c.retryAfterSeconds !== undefined) {
      expect(e.details?.retryAfterSeconds).toBe(c.retryAfterSeconds);
    }
    if (c.outcomeUnknown !== undefined) {
      expect(e.details?.outcomeUnknown).toBe(c.outcomeUnknown);
    }
    expect(patchesServed()).toHaveLength(1);
    // The fault fired once only: a resend would have gone through and been served a second time.
    expect(emu.graph.faults.log).toHaveLength(1);
  });

  it('by default still resends a throttled PATCH (not applied) until it succeeds', async () => {
    const user = cloud[4]!;
    emu.graph.requests.length = 0;
    emu.graph.setFaults([{ kind: 'throttle', route: /^PATCH \/users\//, times: 1, retryAfterSeconds: 0 }]);
    await graph.patch(`/users/${user.id}`, body('default'), { scopes });
    expect(patchesServed().map((r) => r.status)).toEqual([429, 204]);
    expect(JSON.stringify(user.authorizationInfo)).toContain('default');
  });

  it('reads are still retried when retryWrites is false', async () => {
    emu.graph.requests.length = 0;
    emu.graph.setFaults([{ kind: 'throttle', route: /^GET \/users$/, times: 1, retryAfterSeconds: 0 }]);
    const page = await graph.get<{ value: unknown[] }>('/users?$top=1', { retryWrites: false });
    expect(page.value).toHaveLength(1);
    expect(emu.graph.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('in a $batch, a throttled write item is not resent and carries graph.throttled; reads in it are retried', async () => {
    const [a, b] = [cloud[5]!, cloud[6]!];
    const before = JSON.stringify(a.authorizationInfo);
    emu.graph.requests.length = 0;
    emu.graph.setFaults([
      { kind: 'throttle', route: new RegExp(`^PATCH /users/${a.id}$`), times: 1, retryAfterSeconds: 1 },
      { kind: 'throttle', route: new RegExp(`^GET /users/${b.id}$`), times: 1, retryAfterSeconds: 0 },
    ]);
    const results = await graph.batch(
      [
        { id: 'w', method: 'PATCH', url: `/users/${a.id}`, body: body('batched') },
        { id: 'r', method: 'GET', url: `/users/${b.id}?$select=id` },
      ],
      { scopes, retryWrites: false },
    );
    const byId = new Map(results.map((r) => [r.id, r]));
    expect(byId.get('w')?.status).toBe(429);
    expect(byId.get('w')?.error?.code).toBe('graph.throttled');
    expect(byId.get('w')?.error?.details?.retryAfterSeconds).toBe(1);
    expect(byId.get('r')?.status).toBe(200);
    // Two envelopes (the read was retried), and the write was not in the second one: it was never applied.
    expect(emu.graph.requests.filter((r) => r.path === '/$batch')).toHaveLength(2);
    expect(emu.graph.faults.log.map((f) => f.route)).toEqual([`PATCH /users/${a.id}`, `GET /users/${b.id}`]);
    expect(JSON.stringify(a.authorizationInfo)).toBe(before);
  });

  it('in a $batch, by default a throttled write item is resent and applied', async () => {
    const a = cloud[7]!;
    emu.graph.setFaults([
      { kind: 'throttle', route: new RegExp(`^PATCH /users/${a.id}$`), times: 1, retryAfterSeconds: 0 },
    ]);
    const [result] = await graph.batch([{ method: 'PATCH', url: `/users/${a.id}`, body: body('batched-default') }], {
      scopes,
    });
    expect(result?.status).toBe(204);
    expect(JSON.stringify(a.authorizationInfo)).toContain('batched-default');
  });
});
