/**
 * Enrollment benchmarks against the emulators with the real card, desk, Graph, enrollment and store services:
 * - `enroll.e2e.medianMs`: a virtual CPS3 card put in the in-process reader → automatic read and desk report →
 *   search → plan → apply (GET, reverse lookups, PATCH, group, verifying re-reads) as the desk runs it, with 50 ms of
 *   emulated latency on every Graph request, the app's 300 ms settle before the second verification read included
 *   (`enroll.e2e.noSettle.medianMs`: the same without it). Every run is a new card and holder on a pristine tenant,
 *   so every run really writes.
 * - `enroll.bulk.requestsPerMapping`: Graph requests per mapping for a bulk of 1,000 mappings as the agent runs it: a
 *   CSV applied as a durable job (its preview re-check — user reads and reverse lookups — plus the writes), all
 *   through `$batch`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wireBulk } from '../../electron/app/bulk-wiring';
import { createDemoCards, demoReaderName } from '../../electron/app/demo-cards';
import { createEventBus } from '../../electron/app/event-bus';
import type { EventBus } from '../../electron/app/event-bus';
import { createCardService, createInProcessBackend, createJsonFileKeyValueStore } from '../../electron/services/cards';
import { createDeskService } from '../../electron/services/desk';
import { createEnrollmentService } from '../../electron/services/enrollment/index';
import type { Agent, EnrollmentService } from '../../electron/services/enrollment/index';
import { createGraphService } from '../../electron/services/graph/index';
import type { GraphService } from '../../electron/services/graph/index';
import { createStore } from '../../electron/services/store/index';
import type { StoreService } from '../../electron/services/store/index';
import { buildCard } from '../../emulators/card';
import type { VirtualCard } from '../../emulators/card';
import { silentLogger } from '../../shared/logging';
import { createCardFactory } from '../chaos/cards';
import type { Emulators } from '../helpers/emulators/index';
import { demoAdmin, startEmulators } from '../helpers/emulators/index';

type Metric = { value: number; unit: string; target: number; pass: boolean };

/** Runs per settle setting (a new card and holder each). */
const E2E_ITERATIONS = 9;
const E2E_TARGET_MS = 1500;
const LATENCY_MS = 50;
/** The settle the desk runtime uses before the second verification read (`enrollment-wiring.ts`). */
const APP_SETTLE_MS = 300;
const BULK = 1000;
/** Bound of one card read (the card service's own timeout is 20 s). */
const READ_TIMEOUT_MS = 30_000;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/** Resolves when the desk has reported a read of `reader` (the renderer searches on this event). */
function nextReport(bus: EventBus, reader: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`bench: no card report for ${reader}`));
    }, READ_TIMEOUT_MS);
    const stop = bus.subscribe((event, payload) => {
      const forReader = (payload as { reader?: unknown }).reader === reader;
      if (event === 'cards:read-succeeded' && forReader) {
        clearTimeout(timer);
        stop();
        resolve();
      } else if (event === 'cards:read-failed' && forReader) {
        clearTimeout(timer);
        stop();
        reject(new Error(`bench: card read failed: ${JSON.stringify(payload)}`));
      }
    });
  });
}

/**
 * Card insertion → verified mapping, `E2E_ITERATIONS` times, through the desk runtime's pieces: in-process reader,
 * card service (automatic read), desk service (report, last certificate), enrollment service reading the card from
 * the reader. Returns the duration of each run in ms.
 */
async function cardToMapping(
  emu: Emulators,
  graph: GraphService,
  agent: Agent,
  store: StoreService,
  dir: string,
  settleMs: number,
): Promise<number[]> {
  const tenant = emu.graph.tenant('clinique-demo');
  const pristine = emu.graph.snapshot();
  const staff = tenant.users
    .slice(3)
    .flatMap((u) =>
      u.onPremisesSyncEnabled !== true && typeof u.surname === 'string'
        ? [{ id: u.id, givenName: u.givenName, surname: u.surname }]
        : [],
    );
  // Cards are built (RSA keys, certificates) before any clock starts: only the desk's work is timed.
  const cards: { card: VirtualCard; userId: string }[] = [];
  for (let i = 0; i < E2E_ITERATIONS; i++) {
    const user = staff[i % staff.length];
    if (user === undefined) {
      throw new Error('bench: no staff user to enroll');
    }
    const built = await buildCard('cps3', {
      practitioner: {
        nationalId: String(10_300_000_000 + settleMs * 100 + i),
        idType: '8',
        givenName: typeof user.givenName === 'string' ? user.givenName : 'X',
        surname: user.surname.toUpperCase(),
        profession: 'Médecin',
        professionCode: 10,
        cardNumber: String(2_950_000_000 + settleMs * 100 + i),
        cardType: 0,
      },
    });
    cards.push({ card: built.card, userId: user.id });
  }

  const bus = createEventBus((event) => {
    throw new Error(`bench: ${event} off contract`);
  });
  const backend = createInProcessBackend([demoReaderName]);
  const demo = createDemoCards(backend);
  const cardService = createCardService({
    backend,
    logger: silentLogger,
    store: createJsonFileKeyValueStore(join(dir, `learned-paths-${String(settleMs)}.json`), silentLogger),
  });
  const desk = createDeskService({
    cards: cardService,
    trustMaterial: () => demo.trustMaterial(),
    emit: bus.emit,
    logger: silentLogger,
  });
  const service: EnrollmentService = createEnrollmentService({
    session: () => Promise.resolve({ graph, agent }),
    store,
    config: () => Promise.resolve({ cbaGroupId: null, identifierAttribute: 'employeeId' }),
    lastCertificate: (reader) => desk.lastCertificate(reader),
    logger: silentLogger,
    autoReplay: false,
    settleMs,
  });
  await cardService.start();
  const durations: number[] = [];
  try {
    for (const { card, userId } of cards) {
      emu.graph.restore(pristine);
      emu.graph.setFaults([{ kind: 'latency', latencyMs: LATENCY_MS }]);
      const reported = nextReport(bus, demoReaderName);
      const started = performance.now();
      backend.insert(demoReaderName, card);
      await reported;
      const source = { kind: 'reader' as const, reader: demoReaderName };
      const found = await service.findCandidates(source);
      const target = { source, userId: found.candidates[0]?.id ?? userId };
      await service.plan(target);
      const outcome = await service.apply(target);
      durations.push(performance.now() - started);
      emu.graph.setFaults([]);
      if (outcome.status !== 'written') {
        throw new Error(`bench enrollment ended ${outcome.status}`);
      }
      backend.remove(demoReaderName);
    }
  } finally {
    emu.graph.setFaults([]);
    emu.graph.restore(pristine);
    service.close();
    await cardService.stop();
  }
  return durations;
}

/** Run the enrollment benchmarks. */
export async function run(): Promise<Record<string, Metric>> {
  const emu = await startEmulators();
  const dir = mkdtempSync(join(tmpdir(), 'psc-enroll-bench-'));
  const store = createStore({ filePath: join(dir, 'psc.db'), clock: { now: () => Date.now() }, logger: silentLogger });
  const tenant = emu.graph.tenant('clinique-demo');
  const graph = createGraphService({
    baseUrl: emu.graph.url,
    caCertPem: emu.graph.caCertPem,
    tenantId: tenant.id,
    readScopes: ['User.Read.All', 'GroupMember.Read.All', 'Policy.Read.All'],
    tokens: (r) => Promise.resolve(emu.authority.issueAccessToken({ userPrincipalName: demoAdmin, scopes: r.scopes })),
  });
  const admin = tenant.users.find((u) => u.userPrincipalName === demoAdmin);
  const agent: Agent = { upn: demoAdmin, oid: admin?.id ?? 'unknown', tenantId: tenant.id };
  try {
    const factory = await createCardFactory();
    const pristine = emu.graph.snapshot();

    const e2e = await cardToMapping(emu, graph, agent, store, dir, APP_SETTLE_MS);
    const e2eNoSettle = await cardToMapping(emu, graph, agent, store, dir, 0);

    // Bulk: 1,000 explicit users, one card each, a CSV applied as a job through $batch.
    emu.graph.restore(pristine);
    const live = emu.graph.tenant('clinique-demo');
    const rows = [];
    for (let i = 0; i < BULK; i++) {
      const id = `00000002-0009-4000-8000-${String(i + 1).padStart(12, '0')}`;
      live.users.push({
        id,
        displayName: `Bulk ${String(i)}`,
        givenName: 'Bulk',
        surname: `Practitioner${String(i)}`,
        userPrincipalName: `bulk.${String(i)}@clinique-demo.fr`,
        accountEnabled: true,
        onPremisesSyncEnabled: null,
        authorizationInfo: { certificateUserIds: [] },
      });
      const der = await factory.issue({
        index: 10_000 + i,
        givenName: 'Bulk',
        surname: `PRACTITIONER${String(i)}`,
        nationalId: String(10_400_000_000 + i),
        cardNumber: String(2_960_000_000 + i),
      });
      rows.push(`bulk.${String(i)}@clinique-demo.fr;${Buffer.from(der).toString('base64')}`);
    }
    const bus = createEventBus((event) => {
      throw new Error(`bench: ${event} off contract`);
    });
    const bulk = wireBulk({
      bus,
      session: () => Promise.resolve({ graph, agent, journal: store.journal, configuredGroupId: null }),
      jobs: () => store.bulkJobs,
    });
    const finished = new Promise<number>((resolve) => {
      bus.subscribe((event, payload) => {
        if (event === 'bulk:finished') {
          resolve((payload as { job: { counts: { written: number } } }).job.counts.written);
        }
      });
    });
    const before = emu.graph.requests.length;
    await bulk.handlers['bulk:apply']({
      source: { kind: 'csv-text', csvText: ['user;certificate', ...rows].join('\r\n'), fileName: null, baseDir: null },
    });
    const written = await finished;
    const requests = emu.graph.requests.length - before;
    if (written !== BULK) {
      throw new Error(`bulk wrote ${String(written)} of ${String(BULK)}`);
    }
    const e2eMedian = median(e2e);
    const noSettleMedian = median(e2eNoSettle);
    const perMapping = requests / BULK;
    return {
      'enroll.e2e.medianMs': {
        value: Math.round(e2eMedian),
        unit: 'ms',
        target: E2E_TARGET_MS,
        pass: e2eMedian <= E2E_TARGET_MS,
      },
      'enroll.e2e.noSettle.medianMs': {
        value: Math.round(noSettleMedian),
        unit: 'ms',
        target: E2E_TARGET_MS,
        pass: noSettleMedian <= E2E_TARGET_MS,
      },
      'enroll.bulk.requestsPerMapping': {
        value: Math.round(perMapping * 1000) / 1000,
        unit: 'requests',
        target: 2,
        pass: perMapping <= 2,
      },
    };
  } finally {
    store.close();
    graph.close();
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
