/**
 * Graph stack benchmarks against the emulators: client overhead versus raw HTTPS, request count and peak RSS when
 * paging 100,000 users with `$select` and `$top=999`.
 */
import { Agent, request } from 'node:https';
import { createGraphService } from '../../electron/services/graph/index';
import { demoAdmin, startEmulators } from '../helpers/emulators/index';

type Metric = { value: number; unit: string; target: number; pass: boolean };

/** The baseline: one keep-alive HTTPS GET whose JSON body is parsed (what any client must at least do). */
function rawGet(url: string, agent: Agent, token: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { agent, headers: { authorization: `Bearer ${token}`, prefer: 'include-unknown-enum-members' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Runs the Graph benchmarks. */
export async function run(): Promise<Record<string, Metric>> {
  const emu = await startEmulators();
  try {
    const token = emu.authority.issueAccessToken({ userPrincipalName: demoAdmin, scopes: ['User.Read.All'] });
    const graph = createGraphService({
      baseUrl: emu.graph.url,
      caCertPem: emu.graph.caCertPem,
      tenantId: 'bench',
      readScopes: ['User.Read.All'],
      tokens: () => Promise.resolve(token),
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 8, ca: emu.graph.caCertPem });
    // The audit's dominant request: a full page of users (Graph's maximum, as the audit pages) with the properties
    // the checks read. The stack's fixed cost is ~0.05–0.1 ms per request in process; on tiny pages it weighs more.
    emu.graph.generateUsers('clinique-demo', 2_000);
    const path = '/users?$top=999&$select=id,displayName,userPrincipalName,onPremisesSyncEnabled,authorizationInfo';
    const rawUrl = `${emu.graph.url}/v1.0${path}`;
    for (let i = 0; i < 20; i++) {
      await graph.get(path);
      await rawGet(rawUrl, agent, token);
    }
    // Alternate one by one so machine-load drift hits both paths equally; on a shared 2-core machine preemption
    // spikes dominate means, so compare quantiles.
    const clientSamples: number[] = [];
    const rawSamples: number[] = [];
    const timeClient = async () => {
      const t = performance.now();
      await graph.get(path);
      clientSamples.push(performance.now() - t);
    };
    const timeRaw = async () => {
      const t = performance.now();
      await rawGet(rawUrl, agent, token);
      rawSamples.push(performance.now() - t);
    };
    for (let i = 0; i < 300; i++) {
      // Swap the order every round: garbage from one request must not systematically land on the other path.
      if (i % 2 === 0) {
        await timeClient();
        await timeRaw();
      } else {
        await timeRaw();
        await timeClient();
      }
    }
    // Lower quartile: the intrinsic cost of each path, least disturbed by other processes preempting this one.
    const quartile = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 4)] ?? 0;
    const clientMs = quartile(clientSamples);
    const rawMs = quartile(rawSamples);
    agent.destroy();

    emu.graph.generateUsers('clinique-demo', 98_000);
    const expected = emu.graph.tenant('clinique-demo').users.length + 100_000;
    const before = emu.graph.requests.length;
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 10);
    let count = 0;
    for await (const _user of graph.items<{ id: string }>('/users?$select=id,displayName&$top=999')) {
      count++;
    }
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const pagingRequests = emu.graph.requests.length - before;
    graph.close();
    if (count !== expected) {
      throw new Error(`paging returned ${count} users, expected ${expected}`);
    }
    const ratio = clientMs / rawMs;
    const rssMB = peak / (1024 * 1024);
    return {
      'graph.overhead.ratio': { value: Number(ratio.toFixed(3)), unit: 'x', target: 1.1, pass: ratio <= 1.1 },
      'graph.paging.requests': { value: pagingRequests, unit: 'requests', target: 101, pass: pagingRequests <= 101 },
      'graph.paging.rssMB': { value: Number(rssMB.toFixed(1)), unit: 'MB', target: 250, pass: rssMB <= 250 },
    };
  } finally {
    await emu.close();
  }
}
