/**
 * Enrollment benchmarks against the emulators with the real Graph service and store: one card from search to
 * verified mapping with 50 ms of emulated latency per Graph request, and Graph requests per mapping for a bulk of
 * 1,000 mappings as the agent runs it: a CSV applied as a durable job (its preview re-check — user reads and reverse
 * lookups — plus the writes), all through `$batch`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wireBulk } from '../../electron/app/bulk-wiring';
import { createEventBus } from '../../electron/app/event-bus';
import { createEnrollmentService } from '../../electron/services/enrollment/index';
import { createGraphService } from '../../electron/services/graph/index';
import { createStore } from '../../electron/services/store/index';
import { silentLogger } from '../../shared/logging';
import { createCardFactory } from '../chaos/cards';
import { demoAdmin, startEmulators } from '../helpers/emulators/index';

type Metric = { value: number; unit: string; target: number; pass: boolean };

const E2E_ITERATIONS = 7;
const BULK = 1000;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

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
  const service = createEnrollmentService({
    session: () =>
      Promise.resolve({ graph, agent: { upn: demoAdmin, oid: admin?.id ?? 'unknown', tenantId: tenant.id } }),
    store,
    config: () => Promise.resolve({ cbaGroupId: null, identifierAttribute: 'employeeId' }),
    lastCertificate: () => undefined,
    logger: silentLogger,
    autoReplay: false,
  });
  try {
    const factory = await createCardFactory();
    const pristine = emu.graph.snapshot();

    // Card read → candidates → apply (GET, reverse lookups, PATCH, group, re-read), 50 ms per Graph request.
    const staff = tenant.users.slice(3).filter((u) => u.onPremisesSyncEnabled !== true);
    const e2e: number[] = [];
    for (let i = 0; i < E2E_ITERATIONS; i++) {
      emu.graph.restore(pristine);
      const user = staff[i % staff.length];
      if (user === undefined) {
        break;
      }
      const der = await factory.issue({
        index: i,
        givenName: typeof user.givenName === 'string' ? user.givenName : 'X',
        surname: typeof user.surname === 'string' ? user.surname.toUpperCase() : 'X',
        nationalId: String(10_300_000_000 + i),
        cardNumber: String(2_950_000_000 + i),
      });
      emu.graph.setFaults([{ kind: 'latency', latencyMs: 50 }]);
      const source = { kind: 'certificate' as const, derBase64: Buffer.from(der).toString('base64') };
      const started = performance.now();
      const found = await service.findCandidates(source);
      const target = found.candidates[0]?.id ?? user.id;
      const outcome = await service.apply({ source, userId: target });
      e2e.push(performance.now() - started);
      emu.graph.setFaults([]);
      if (outcome.status !== 'written') {
        throw new Error(`bench enrollment ended ${outcome.status}`);
      }
    }

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
    const bulk = wireBulk({ bus, enrollment: () => service });
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
    const perMapping = requests / BULK;
    return {
      'enroll.e2e.medianMs': { value: Math.round(e2eMedian), unit: 'ms', target: 1500, pass: e2eMedian <= 1500 },
      'enroll.bulk.requestsPerMapping': {
        value: Math.round(perMapping * 1000) / 1000,
        unit: 'requests',
        target: 2,
        pass: perMapping <= 2,
      },
    };
  } finally {
    service.close();
    store.close();
    graph.close();
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
