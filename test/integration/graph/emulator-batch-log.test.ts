import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphService } from '../../../electron/services/graph/index';
import { createGraphService } from '../../../electron/services/graph/index';
import { flattenServed } from '../../../emulators/graph/index';
import type { Emulators } from '../../helpers/emulators/index';
import { demoAdmin, startEmulators } from '../../helpers/emulators/index';

describe('Graph emulator request log: $batch items', () => {
  let emu: Emulators;
  let graph: GraphService;

  beforeAll(async () => {
    emu = await startEmulators();
    graph = createGraphService({
      baseUrl: emu.graph.url,
      caCertPem: emu.graph.caCertPem,
      tenantId: emu.graph.tenant('clinique-demo').id,
      readScopes: ['User.Read.All'],
      tokens: (r) =>
        Promise.resolve(emu.authority.issueAccessToken({ userPrincipalName: demoAdmin, scopes: r.scopes })),
      retry: { baseDelayMs: 10, maxDelayMs: 50, maxAttempts: 4 },
    });
  });
  afterAll(async () => {
    graph.close();
    await emu.close();
  });

  it('logs every item under its envelope, so a retried item shows when it came back', async () => {
    const ids = emu.graph
      .tenant('clinique-demo')
      .users.slice(3, 6)
      .map((u) => u.id);
    const throttled = `/users/${ids[1] ?? ''}?$select=id`;
    emu.graph.setFaults([
      { kind: 'throttle', route: new RegExp(`^GET /users/${ids[1] ?? ''}$`), times: 1, retryAfterSeconds: 1 },
    ]);
    const before = emu.graph.requests.length;
    const results = await graph.batch(ids.map((id) => ({ method: 'GET' as const, url: `/users/${id}?$select=id` })));
    emu.graph.setFaults([]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);

    const envelopes = emu.graph.requests.slice(before);
    // One log entry per HTTP request: the first batch, then the retry of the throttled item alone.
    expect(envelopes.map((r) => [r.path, r.items?.length])).toEqual([
      ['/$batch', 3],
      ['/$batch', 1],
    ]);
    for (const envelope of envelopes) {
      expect(envelope.batchId).toBeDefined();
      expect(envelope.items?.every((i) => i.parentId === envelope.batchId)).toBe(true);
    }
    const attempts = flattenServed(envelopes).filter((r) => r.path === throttled);
    expect(attempts.map((a) => [a.status, a.retryAfterSeconds])).toEqual([
      [429, 1],
      [200, undefined],
    ]);
    const [first, second] = attempts;
    expect(first?.parentId).not.toBe(second?.parentId);
    // The item was not sent again before its Retry-After.
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(1000);
  });
});
