import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphService } from '../../../electron/services/graph/index';
import { createGraphService } from '../../../electron/services/graph/index';
import type { Emulators } from '../../helpers/emulators/index';
import { demoAdmin, demoReader, startEmulators } from '../../helpers/emulators/index';

/**
 * Conditional access is throttled per tenant (the emulator, like Graph, answers 429 without Retry-After to a second
 * CA request inside the interval). Single requests, `$batch` items and every account of the tenant share one pacer.
 * The emulator runs at 10 CA requests per second to keep the suite quick; the client paces at 100 ms.
 */
describe('graph client: conditional-access pacing per tenant', () => {
  let emu: Emulators;
  const intervalMs = 100;
  const services: GraphService[] = [];

  // The production retry budget and the default (process-wide) pacers: pacing, not retries, must keep CA reads from
  // being throttled. Every test of this file shares those pacers, as the services of one app would.
  const serviceFor = (upn: string): GraphService => {
    const s = createGraphService({
      baseUrl: emu.graph.url,
      caCertPem: emu.graph.caCertPem,
      tenantId: emu.graph.tenant('clinique-demo').id,
      readScopes: ['Policy.Read.All'],
      tokens: (r) => Promise.resolve(emu.authority.issueAccessToken({ userPrincipalName: upn, scopes: r.scopes })),
      conditionalAccessIntervalMs: intervalMs,
    });
    services.push(s);
    return s;
  };
  const caServed = () => emu.graph.requests.filter((r) => r.path.startsWith('/identity/conditionalAccess'));

  beforeAll(async () => {
    emu = await startEmulators({ graph: { conditionalAccessPerSecond: 1000 / intervalMs } });
  });
  afterAll(async () => {
    for (const s of services) {
      s.close();
    }
    await emu.close();
  });

  it('a $batch of six CA reads is never throttled: one CA item per envelope, each on its own slot', async () => {
    const graph = serviceFor(demoAdmin);
    emu.graph.requests.length = 0;
    const results = await graph.batch(
      [1, 2, 3, 4, 5, 6].map((i) => ({
        id: String(i),
        method: 'GET' as const,
        url: '/identity/conditionalAccess/policies',
      })),
    );
    expect(results.map((r) => `${r.status}${r.error ? ` ${r.error.code}` : ''}`)).toEqual(Array(6).fill('200'));
    // Six envelopes exactly: no item was throttled and resent.
    expect(emu.graph.requests.filter((r) => r.path === '/$batch')).toHaveLength(6);
  });

  it('two accounts of one tenant share the process-wide pacer: concurrent CA reads are never throttled', async () => {
    const admin = serviceFor(demoAdmin);
    const reader = serviceFor(demoReader);
    emu.graph.requests.length = 0;
    await Promise.all([
      ...[1, 2, 3].map(() => admin.get('/identity/conditionalAccess/policies')),
      ...[1, 2, 3].map(() => reader.get('/identity/conditionalAccess/authenticationContextClassReferences')),
    ]);
    expect(caServed().map((r) => r.status)).toEqual(Array(6).fill(200));
  });

  it('single requests and a batch of the same tenant share the pacer', async () => {
    const a = serviceFor(demoAdmin);
    const b = serviceFor(demoReader);
    emu.graph.requests.length = 0;
    const [batch] = await Promise.all([
      b.batch(
        [1, 2, 3].map((i) => ({
          id: String(i),
          method: 'GET' as const,
          url: '/identity/conditionalAccess/policies',
        })),
      ),
      ...[1, 2, 3].map(() => a.get('/identity/conditionalAccess/policies')),
    ]);
    expect(batch.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(caServed().map((r) => r.status)).toEqual([200, 200, 200]);
    expect(emu.graph.requests.filter((r) => r.path === '/$batch')).toHaveLength(3);
  });
});
