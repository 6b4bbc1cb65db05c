import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServedRequest } from '../../../emulators/graph/index';
import type { GraphService } from '../../../electron/services/graph/index';
import { createGraphService } from '../../../electron/services/graph/index';
import { defaultRetrySettings } from '../../../electron/services/graph/retry-policy';
import { AppError } from '../../../shared/errors';
import type { Emulators } from '../../helpers/emulators/index';
import { demoAdmin, startEmulators } from '../../helpers/emulators/index';

type User = { id: string; displayName: string };

describe('graph service against the Graph emulator', () => {
  let emu: Emulators;
  let graph: GraphService;
  const tokenRequests: { scopes: readonly string[]; claims?: string | undefined }[] = [];

  const newService = (): GraphService =>
    createGraphService({
      baseUrl: emu.graph.url,
      caCertPem: emu.graph.caCertPem,
      tenantId: emu.graph.tenant('clinique-demo').id,
      readScopes: ['User.Read.All', 'GroupMember.Read.All', 'Policy.Read.All', 'Application.Read.All'],
      // The authority signs real tokens; a claims request yields a token carrying the asked auth context.
      tokens: (r) => {
        tokenRequests.push(r);
        const acrs = r.claims
          ? [(JSON.parse(r.claims) as { access_token: { acrs: { value: string } } }).access_token.acrs.value]
          : [];
        return Promise.resolve(
          emu.authority.issueAccessToken({ userPrincipalName: demoAdmin, scopes: r.scopes, acrs }),
        );
      },
      retry: { baseDelayMs: 20, maxDelayMs: 200, maxAttempts: 10 },
    });

  /** What the randomized runs hit, over all seeds. */
  const exercised = new Set<string>();

  const byRequest = (log: readonly ServedRequest[]) => {
    const groups = new Map<string, ServedRequest[]>();
    for (const r of log) {
      const list = groups.get(r.clientRequestId ?? '') ?? [];
      list.push(r);
      groups.set(r.clientRequestId ?? '', list);
    }
    return groups;
  };

  beforeAll(async () => {
    emu = await startEmulators();
    graph = newService();
  });
  afterEach(() => {
    emu.graph.setFaults([]);
  });
  afterAll(async () => {
    graph.close();
    await emu.close();
  });

  it('streams users page by page following @odata.nextLink', async () => {
    const pages: number[] = [];
    for await (const page of graph.pages<User>('/users?$top=10&$select=id,displayName')) {
      pages.push(page.value.length);
    }
    const total = emu.graph.tenant('clinique-demo').users.length;
    expect(pages.reduce((a, b) => a + b, 0)).toBe(total);
    expect(pages.length).toBe(Math.ceil(total / 10));
  });

  // Three seeds, the production attempt budget (6; only the backoff steps are shortened), faults on reads and writes.
  it.each([20261125, 7, 424242])(
    'under random faults (seed %i): reads succeed within budget, no attempt before Retry-After, no write resent once it may have applied',
    async (seed) => {
      const budget = createGraphService({
        baseUrl: emu.graph.url,
        caCertPem: emu.graph.caCertPem,
        tenantId: emu.graph.tenant('clinique-demo').id,
        readScopes: ['User.Read.All', 'GroupMember.Read.All'],
        tokens: (r) =>
          Promise.resolve(emu.authority.issueAccessToken({ userPrincipalName: demoAdmin, scopes: r.scopes })),
        retry: { baseDelayMs: 10, maxDelayMs: 80 },
      });
      const maxAttempts = defaultRetrySettings.maxAttempts;
      const readAll = async () => {
        const ids: string[] = [];
        for await (const u of budget.items<User>('/users?$top=7&$select=id,displayName')) {
          ids.push(u.id);
        }
        return ids;
      };
      const reference = await readAll();
      const groups = await budget.get<{ value: unknown[] }>('/groups');
      const demo = emu.graph.tenant('clinique-demo');
      const cloud = demo.users.filter((u) => u.onPremisesSyncEnabled !== true && u.id.startsWith('00000002-0001'));
      expect(cloud.length).toBeGreaterThan(12);

      emu.graph.requests.length = 0;
      emu.graph.setFaults(
        [
          { kind: 'throttle', probability: 0.03, retryAfterSeconds: 1 },
          { kind: 'throttle', probability: 0.05, retryAfterSeconds: 0 },
          { kind: 'throttle-no-retry-after', probability: 0.04 },
          { kind: 'unavailable', probability: 0.04, retryAfterSeconds: 0 },
          { kind: 'server-error', route: /^GET/, probability: 0.04 },
          { kind: 'gateway-timeout', probability: 0.02 },
          { kind: 'reset', probability: 0.03 },
          { kind: 'server-error', route: /^PATCH/, probability: 0.03 },
          { kind: 'reset-after-apply', route: /^PATCH/, probability: 0.06 },
          { kind: 'latency', probability: 0.2, latencyMs: 5 },
        ],
        seed,
      );
      const writes: { value: string; userId: string; ok: boolean; error?: AppError; faults: string[] }[] = [];
      for (let round = 0; round < 4; round++) {
        expect(await readAll()).toEqual(reference);
        expect(await budget.get<{ value: unknown[] }>('/groups')).toEqual(groups);
        for (let i = 0; i < 3; i++) {
          const user = cloud[8 + ((round * 3 + i) % 5)]!;
          const value = `X509:<PN>s${seed}r${round}i${i}@carte-cps.fr`;
          const faultsBefore = emu.graph.faults.log.length;
          const outcome = await budget
            .patch(
              `/users/${user.id}`,
              { authorizationInfo: { certificateUserIds: [value] } },
              {
                scopes: ['User.ReadWrite.All'],
              },
            )
            .then(
              () => ({ ok: true }),
              (e: unknown) => ({ ok: false, error: e as AppError }),
            );
          writes.push({
            value,
            userId: user.id,
            ...outcome,
            faults: emu.graph.faults.log.slice(faultsBefore).map((f) => f.kind),
          });
          // Applied exactly when it succeeded, or when the connection dropped after Graph applied it.
          const applied = JSON.stringify(user.authorizationInfo).includes(value);
          expect(applied).toBe(outcome.ok || writes.at(-1)!.faults.at(-1) === 'reset-after-apply');
        }
      }
      const injected = emu.graph.faults.log.map((f) => f.kind);
      expect(new Set(injected).size).toBeGreaterThanOrEqual(4);
      for (const kind of injected) {
        exercised.add(kind);
      }

      const served = [...byRequest(emu.graph.requests).values()];
      for (const attempts of served) {
        expect(attempts.length).toBeLessThanOrEqual(maxAttempts);
        for (let i = 1; i < attempts.length; i++) {
          const prev = attempts[i - 1]!;
          expect(attempts[i]!.at - prev.at).toBeGreaterThanOrEqual((prev.retryAfterSeconds ?? 0) * 1000);
        }
        if (attempts[0]!.method === 'GET') {
          expect(attempts.at(-1)?.status).toBe(200);
        } else {
          // A write is resent only after an answer proving it was not applied: 429, or 503 with Retry-After.
          for (const prev of attempts.slice(0, -1)) {
            expect(prev.status === 429 || (prev.status === 503 && prev.retryAfterSeconds !== undefined)).toBe(true);
          }
        }
      }
      const patches = served.filter((a) => a[0]!.method === 'PATCH');
      expect(patches).toHaveLength(writes.length);
      for (const [i, w] of writes.entries()) {
        const last = patches[i]!.at(-1)!;
        if (w.ok) {
          expect(last.status).toBe(204);
        } else {
          const expected =
            last.status === 0
              ? 'graph.offline'
              : last.status === 429 || last.retryAfterSeconds !== undefined
                ? 'graph.throttled'
                : 'graph.server-error';
          expect(w.error?.code).toBe(expected);
          if (last.status === 0) {
            expect(w.error?.details?.outcomeUnknown).toBe(true);
          }
        }
      }
      expect(served.some((a) => a.length > 1)).toBe(true);
      for (const attempts of served.filter((a) => a.length > 1)) {
        exercised.add(`resent ${attempts[0]!.method}`);
      }
      if (writes.some((w) => !w.ok)) {
        exercised.add('failed write');
      }
      budget.close();
    },
  );

  it('the seeds together exercise what the claims are about', () => {
    // Resent reads and writes, writes lost to a reset after Graph applied them, Retry-After waits, failed writes.
    for (const kind of [
      'resent GET',
      'resent PATCH',
      'reset-after-apply',
      'reset',
      'throttle',
      'unavailable',
      'server-error',
      'failed write',
    ]) {
      expect(exercised).toContain(kind);
    }
  });

  it('never repeats a write after a response that may mean success; retries a throttled write', async () => {
    const demo = emu.graph.tenant('clinique-demo');
    const cloud = demo.users.filter((u) => u.onPremisesSyncEnabled !== true && u.id.startsWith('00000002-0001'));
    const path = (i: number) => `/users/${cloud[i]!.id}`;
    const body = (v: string) => ({ authorizationInfo: { certificateUserIds: [`X509:<PN>${v}@carte-cps.fr`] } });
    const scopes = ['User.ReadWrite.All'];
    emu.graph.requests.length = 0;

    emu.graph.setFaults([{ kind: 'throttle', route: /^PATCH/, times: 2, retryAfterSeconds: 1 }]);
    await graph.patch(path(1), body('throttled'), { scopes });

    emu.graph.setFaults([{ kind: 'server-error', route: /^PATCH/, times: 1 }]);
    await expect(graph.patch(path(2), body('five-hundred'), { scopes })).rejects.toMatchObject({
      code: 'graph.server-error',
    });

    emu.graph.setFaults([{ kind: 'reset', route: /^PATCH/, times: 1 }]);
    const reset: unknown = await graph.patch(path(4), body('reset'), { scopes }).catch((e: unknown) => e);
    expect(reset).toBeInstanceOf(AppError);
    expect((reset as AppError).code).toBe('graph.offline');
    expect((reset as AppError).details?.outcomeUnknown).toBe(true);

    emu.graph.setFaults([{ kind: 'unavailable', route: /^PATCH/, times: 1, retryAfterSeconds: 1 }]);
    await graph.patch(path(5), body('unavailable'), { scopes });

    const patches = [...byRequest(emu.graph.requests.filter((r) => r.method === 'PATCH')).values()];
    expect(patches.map((a) => a.map((r) => r.status))).toEqual([[429, 429, 204], [500], [0], [503, 204]]);
    expect(JSON.stringify(cloud[1]!.authorizationInfo)).toContain('throttled');
  });

  it('answers a claims challenge once by re-acquiring the token with the claims', async () => {
    tokenRequests.length = 0;
    emu.graph.setFaults([{ kind: 'claims', route: /organization|users/, acrs: 'c1' }]);
    const users = await graph.get<{ value: User[] }>('/users?$top=1');
    expect(users.value).toHaveLength(1);
    const withClaims = tokenRequests.filter((r) => r.claims !== undefined);
    expect(withClaims).toHaveLength(1);
    expect(JSON.parse(withClaims[0]!.claims ?? '{}')).toEqual({
      access_token: { acrs: { essential: true, value: 'c1' } },
    });
  });

  it('reports graph.claims-required when the re-acquired token still does not satisfy the challenge', async () => {
    const stubborn = createGraphService({
      baseUrl: emu.graph.url,
      caCertPem: emu.graph.caCertPem,
      tenantId: 'x',
      readScopes: ['User.Read.All'],
      tokens: (r) =>
        Promise.resolve(emu.authority.issueAccessToken({ userPrincipalName: demoAdmin, scopes: r.scopes })),
    });
    emu.graph.setFaults([{ kind: 'claims', route: /users/, acrs: 'c2' }]);
    await expect(stubborn.get('/users?$top=1')).rejects.toMatchObject({ code: 'graph.claims-required' });
    stubborn.close();
  });

  it('replaces a token refused with a plain 401 once, with a forced refresh', async () => {
    const requests: { forceRefresh?: boolean | undefined }[] = [];
    const refreshing = createGraphService({
      baseUrl: emu.graph.url,
      caCertPem: emu.graph.caCertPem,
      tenantId: 'x',
      readScopes: ['User.Read.All'],
      tokens: (r) => {
        requests.push({ forceRefresh: r.forceRefresh });
        // The first token is already expired, as a stale cached token would be.
        const lifetimeSeconds = r.forceRefresh ? 3600 : -60;
        return Promise.resolve(
          emu.authority.issueAccessToken({ userPrincipalName: demoAdmin, scopes: r.scopes, lifetimeSeconds }),
        );
      },
    });
    expect((await refreshing.get<{ value: unknown[] }>('/users?$top=1')).value).toHaveLength(1);
    expect(requests).toEqual([{ forceRefresh: undefined }, { forceRefresh: true }]);
    refreshing.close();
  });

  it('reports graph.unauthorized when even a fresh token is refused', async () => {
    const refused = createGraphService({
      baseUrl: emu.graph.url,
      caCertPem: emu.graph.caCertPem,
      tenantId: 'x',
      readScopes: ['User.Read.All'],
      tokens: () =>
        Promise.resolve(emu.authority.sign({ aud: 'someone-else', exp: Math.floor(Date.now() / 1000) + 600 })),
    });
    await expect(refused.get('/users?$top=1')).rejects.toMatchObject({ code: 'graph.unauthorized' });
    refused.close();
  });

  it('paces conditional-access reads so the emulator never throttles them', async () => {
    emu.graph.requests.length = 0;
    for (let i = 0; i < 3; i++) {
      await graph.get('/identity/conditionalAccess/policies');
    }
    await graph.get('/identity/conditionalAccess/authenticationContextClassReferences');
    const ca = emu.graph.requests.filter((r) => r.path.startsWith('/identity/conditionalAccess'));
    expect(ca.map((r) => r.status)).toEqual([200, 200, 200, 200]);
  });

  it('maps a missing scope to graph.forbidden with the least scope and role', async () => {
    const error: unknown = await graph.get('/subscribedSkus').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('graph.forbidden');
    expect((error as AppError).details).toMatchObject({
      missingScope: 'Organization.Read.All',
      leastRole: 'Global Reader',
      graphCode: 'Authorization_RequestDenied',
    });
  });

  it('maps certificateUserIds uniqueness to graph.conflict and an unknown user to graph.not-found', async () => {
    const demo = emu.graph.tenant('clinique-demo');
    const holder = demo.users.find((u) => JSON.stringify(u.authorizationInfo).includes('X509:'))!;
    const taken = (holder.authorizationInfo as { certificateUserIds: string[] }).certificateUserIds[0]!;
    const other = demo.users.find(
      (u) => u.onPremisesSyncEnabled !== true && u.id !== holder.id && u.id.startsWith('00000002-0001'),
    )!;
    await expect(
      graph.patch(
        `/users/${other.id}`,
        { authorizationInfo: { certificateUserIds: [taken] } },
        { scopes: ['User.ReadWrite.All'] },
      ),
    ).rejects.toMatchObject({
      code: 'graph.conflict',
    });
    await expect(graph.get('/users/personne@clinique-demo.fr')).rejects.toMatchObject({ code: 'graph.not-found' });
  });

  it('batches 25 reads in chunks of 20 and retries only the throttled items', async () => {
    const ids = emu.graph
      .tenant('clinique-demo')
      .users.slice(0, 25)
      .map((u) => u.id);
    emu.graph.setFaults([{ kind: 'throttle', route: /^GET \/users\//, probability: 0.3, retryAfterSeconds: 1 }], 7);
    emu.graph.requests.length = 0;
    const results = await graph.batch(
      ids.map((id) => ({ method: 'GET' as const, url: `/users/${id}?$select=id,displayName` })),
    );
    expect(results.map((r) => r.status)).toEqual(ids.map(() => 200));
    expect(results.map((r) => (r.body as User).id)).toEqual(ids);
    const batches = emu.graph.requests.filter((r) => r.path === '/$batch');
    expect(batches.length).toBeGreaterThan(2);
    expect(emu.graph.faults.log.length).toBeGreaterThan(0);
  });

  it('reports graph.offline when the service refuses connections, and recovers', async () => {
    const quick = createGraphService({
      baseUrl: emu.graph.url,
      caCertPem: emu.graph.caCertPem,
      tenantId: 'x',
      readScopes: ['User.Read.All'],
      tokens: (r) =>
        Promise.resolve(emu.authority.issueAccessToken({ userPrincipalName: demoAdmin, scopes: r.scopes })),
      retry: { maxAttempts: 2, baseDelayMs: 10 },
    });
    await emu.graph.setOffline(true);
    try {
      await expect(quick.get('/users?$top=1')).rejects.toMatchObject({ code: 'graph.offline' });
    } finally {
      await emu.graph.setOffline(false);
    }
    expect((await quick.get<{ value: unknown[] }>('/users?$top=1')).value).toHaveLength(1);
    quick.close();
  });
});

describe('Graph emulator evolvable enums', () => {
  it('hides members after unknownFutureValue unless the client sends Prefer: include-unknown-enum-members', async () => {
    const emu = await startEmulators();
    try {
      const x509 = emu.graph
        .tenant('clinique-demo')
        .authenticationMethodConfigurations.find((c) => c.id === 'X509Certificate')!;
      const mode = x509.authenticationModeConfiguration as { rules: unknown[] };
      mode.rules = [
        {
          x509CertificateRuleType: 'issuerSubjectAndPolicyOID',
          identifier: 'CN=X',
          policyOidIdentifier: '1.2.3',
          issuerSubjectIdentifier: 'CN=X',
          x509CertificateAuthenticationMode: 'x509CertificateMultiFactor',
          x509CertificateRequiredAffinityLevel: 'low',
        },
      ];
      const token = emu.authority.issueAccessToken({ userPrincipalName: demoAdmin, scopes: ['Policy.Read.All'] });
      const url = `${emu.graph.url}/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/x509Certificate`;
      const { request } = await import('node:https');
      const get = (prefer?: string) =>
        new Promise<{ authenticationModeConfiguration: { rules: { x509CertificateRuleType: string }[] } }>(
          (resolve, reject) => {
            const req = request(
              url,
              { ca: emu.graph.caCertPem, headers: { authorization: `Bearer ${token}`, ...(prefer ? { prefer } : {}) } },
              (res) => {
                const chunks: Buffer[] = [];
                res.on('data', (c: Buffer) => chunks.push(c));
                res.on('end', () => {
                  resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as never);
                });
              },
            );
            req.on('error', reject);
            req.end();
          },
        );
      expect((await get()).authenticationModeConfiguration.rules[0]?.x509CertificateRuleType).toBe(
        'unknownFutureValue',
      );
      expect(
        (await get('include-unknown-enum-members')).authenticationModeConfiguration.rules[0]?.x509CertificateRuleType,
      ).toBe('issuerSubjectAndPolicyOID');
      // The app's Graph service always sends the header, so it sees the real member.
      const graph = createGraphService({
        baseUrl: emu.graph.url,
        caCertPem: emu.graph.caCertPem,
        tenantId: 't',
        readScopes: ['Policy.Read.All'],
        tokens: () => Promise.resolve(token),
      });
      const viaService = await graph.get<{
        authenticationModeConfiguration: { rules: { x509CertificateRuleType: string }[] };
      }>('/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/x509Certificate');
      expect(viaService.authenticationModeConfiguration.rules[0]?.x509CertificateRuleType).toBe(
        'issuerSubjectAndPolicyOID',
      );
      graph.close();
    } finally {
      await emu.close();
    }
  });
});
