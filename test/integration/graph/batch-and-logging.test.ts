import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphLogger, GraphService } from '../../../electron/services/graph/index';
import { createGraphService } from '../../../electron/services/graph/index';
import { AppError } from '../../../shared/errors';
import type { Emulators } from '../../helpers/emulators/index';
import { demoAdmin, startEmulators } from '../../helpers/emulators/index';

type Logged = { level: 'debug' | 'warn'; message: string; data: Record<string, unknown> | undefined };

describe('graph $batch items and failure logging', () => {
  let emu: Emulators;
  const logs: Logged[] = [];
  const tokenClaims: (string | undefined)[] = [];
  let graph: GraphService;

  beforeAll(async () => {
    emu = await startEmulators();
    const logger: GraphLogger = {
      debug: (message, data) => logs.push({ level: 'debug', message, data }),
      warn: (message, data) => logs.push({ level: 'warn', message, data }),
    };
    graph = createGraphService({
      baseUrl: emu.graph.url,
      caCertPem: emu.graph.caCertPem,
      tenantId: emu.graph.tenant('clinique-demo').id,
      readScopes: ['User.Read.All', 'Policy.Read.All', 'Organization.Read.All'],
      tokens: (r) => {
        tokenClaims.push(r.claims);
        const acrs = r.claims
          ? [(JSON.parse(r.claims) as { access_token: { acrs: { value: string } } }).access_token.acrs.value]
          : [];
        return Promise.resolve(
          emu.authority.issueAccessToken({ userPrincipalName: demoAdmin, scopes: r.scopes, acrs }),
        );
      },
      logger,
      retry: { baseDelayMs: 10, maxDelayMs: 50, maxAttempts: 3 },
    });
  });
  afterAll(async () => {
    graph.close();
    await emu.close();
  });

  it('asks for unknown enum members in every item (members after unknownFutureValue are kept)', async () => {
    const x509 = emu.graph
      .tenant('clinique-demo')
      .authenticationMethodConfigurations.find((c) => c.id === 'X509Certificate')!;
    const mode = x509.authenticationModeConfiguration as { rules: unknown[] };
    const saved = mode.rules;
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
    try {
      const [item] = await graph.batch([
        {
          method: 'GET',
          url: '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/x509Certificate',
        },
      ]);
      const body = item?.body as { authenticationModeConfiguration: { rules: { x509CertificateRuleType: string }[] } };
      expect(body.authenticationModeConfiguration.rules[0]?.x509CertificateRuleType).toBe('issuerSubjectAndPolicyOID');
    } finally {
      mode.rules = saved;
    }
  });

  it('answers a claims challenge met inside an item by re-acquiring with its claims, once', async () => {
    emu.graph.setFaults([{ kind: 'claims', route: /^GET \/users$/, acrs: 'c1' }]);
    tokenClaims.length = 0;
    try {
      const results = await graph.batch([
        { method: 'GET', url: '/users?$top=1' },
        { method: 'GET', url: '/organization' },
      ]);
      expect(results.map((r) => r.status)).toEqual([200, 200]);
      const withClaims = tokenClaims.filter((c) => c !== undefined);
      expect(withClaims).toHaveLength(1);
      expect(JSON.parse(withClaims[0] ?? '{}')).toMatchObject({ access_token: { acrs: { value: 'c1' } } });
    } finally {
      emu.graph.setFaults([]);
    }
  });

  it('reports an unmet item challenge as graph.claims-required carrying the claims', async () => {
    // The token provider ignores claims here: the challenge can never be met silently.
    const stubborn = createGraphService({
      baseUrl: emu.graph.url,
      caCertPem: emu.graph.caCertPem,
      tenantId: emu.graph.tenant('clinique-demo').id,
      readScopes: ['User.Read.All'],
      tokens: (r) =>
        Promise.resolve(emu.authority.issueAccessToken({ userPrincipalName: demoAdmin, scopes: r.scopes })),
      retry: { maxAttempts: 1 },
    });
    emu.graph.setFaults([{ kind: 'claims', route: /^GET \/users$/, acrs: 'c1' }]);
    try {
      const [item] = await stubborn.batch([{ method: 'GET', url: '/users?$top=1' }]);
      expect(item?.status).toBe(401);
      expect(item?.error?.code).toBe('graph.claims-required');
      expect(String(item?.error?.details?.claims)).toContain('c1');
    } finally {
      emu.graph.setFaults([]);
      stubborn.close();
    }
  });

  it('turns a malformed $batch reply into an AppError, not a validation exception', async () => {
    const broken = createGraphService({
      baseUrl: 'https://graph.example.invalid',
      tenantId: 't',
      readScopes: ['User.Read.All'],
      tokens: () => Promise.resolve('token'),
      fetch: () =>
        Promise.resolve({
          status: 200,
          ok: true,
          headers: new Headers({ 'content-type': 'application/json' }),
          json: () => Promise.resolve({ responses: 'not-a-list' }),
          text: () => Promise.resolve('{"responses":"not-a-list"}'),
          clone() {
            return this;
          },
        } as never),
    });
    const error: unknown = await broken.batch([{ method: 'GET', url: '/users' }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('graph.bad-request');
    expect((error as AppError).details?.reason).toBe('invalid-batch-reply');
  });

  it('logs each final failure once at warn with client-request-id and request-id', async () => {
    logs.length = 0;
    await graph.get('/users/00000000-0000-0000-0000-00000000dead').catch(() => undefined);
    const warns = logs.filter((l) => l.level === 'warn');
    expect(warns).toHaveLength(1);
    expect(warns[0]?.data).toMatchObject({ code: 'graph.not-found', status: 404, method: 'GET' });
    const served = emu.graph.requests.at(-1);
    expect(warns[0]?.data?.clientRequestId).toBe(served?.clientRequestId);
    expect(typeof warns[0]?.data?.requestId).toBe('string');
  });
});
