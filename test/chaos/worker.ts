/**
 * A chaos agent: a separate process running the real enrollment service (real Graph service, real SQLite store)
 * against the emulator in the parent. The parent may `kill -9` it at any moment; a new worker on the same database
 * first drains what the queue recovered, then redoes the steps the agent never saw confirmed.
 */
import { createEnrollmentService } from '../../electron/services/enrollment/index';
import type { Agent, EnrollmentService } from '../../electron/services/enrollment/index';
import { createGraphService, createHttpsFetch } from '../../electron/services/graph/index';
import type { GraphService } from '../../electron/services/graph/index';
import { createStore } from '../../electron/services/store/index';
import { AppError } from '../../shared/errors';
import { silentLogger } from '../../shared/logging';
import type { ChaosOp, FromWorker, ToWorker } from './protocol';

let graph: GraphService | undefined;
let agent: Agent | undefined;

const send = (message: FromWorker): void => {
  process.send?.(message);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function drain(service: EnrollmentService): Promise<number> {
  for (let i = 0; i < 400; i++) {
    const state = await service.replay();
    if (state.items.length === 0) {
      return 0;
    }
    await sleep(10);
  }
  return (await service.queue()).items.length;
}

async function runOp(service: EnrollmentService, op: ChaosOp): Promise<string> {
  const source = { kind: 'certificate' as const, derBase64: op.derBase64 };
  try {
    const outcome =
      op.op === 'remove'
        ? await service.remove({ source, userId: op.userId })
        : await service.apply({ source, userId: op.userId, isRenewal: op.op === 'renew' });
    return outcome.status;
  } catch (error) {
    return `error:${error instanceof AppError ? error.code : String(error)}`;
  }
}

async function run(message: Extract<ToWorker, { type: 'run' }>): Promise<void> {
  if (graph === undefined || agent === undefined) {
    throw new Error('worker not initialised');
  }
  const store = createStore({ filePath: message.dbPath, clock: { now: () => Date.now() }, logger: silentLogger });
  const session = { graph, agent };
  const service = createEnrollmentService({
    session: () => Promise.resolve(session),
    store,
    config: () => Promise.resolve({ cbaGroupId: null, identifierAttribute: 'employeeId' }),
    lastCertificate: () => undefined,
    logger: silentLogger,
    autoReplay: { baseDelayMs: 10, maxDelayMs: 80 },
    settleMs: message.settleMs,
  });
  try {
    await drain(service);
    const results = await Promise.all(message.ops.map(async (op) => ({ id: op.id, status: await runOp(service, op) })));
    const pending = await drain(service);
    send({ type: 'done', runId: message.runId, results, pending });
  } finally {
    service.close();
    store.close();
  }
}

process.on('message', (raw: ToWorker) => {
  if (raw.type === 'init') {
    const token = raw.token;
    graph = createGraphService({
      baseUrl: raw.graphUrl,
      tenantId: raw.tenantId,
      readScopes: ['User.Read.All'],
      tokens: () => Promise.resolve(token),
      // Short timeouts: a slow reply becomes a write whose outcome is unknown.
      fetch: createHttpsFetch({ caCertPem: raw.caCertPem, timeoutMs: 100 }),
      retry: { baseDelayMs: 2, maxDelayMs: 20, maxAttempts: 4, maxRetryAfterMs: 2000 },
    });
    agent = raw.agent;
    send({ type: 'ready' });
    return;
  }
  run(raw).catch((error: unknown) => {
    send({ type: 'error', runId: raw.runId, message: error instanceof Error ? error.message : String(error) });
  });
});
