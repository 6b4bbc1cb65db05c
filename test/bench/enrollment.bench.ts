/**
 * Enrollment benchmarks against the emulators with the real Graph service and store: one card from search to
 * verified mapping with 50 ms of emulated latency per Graph request, and Graph requests per mapping for a bulk of
 * 1,000 mappings through `$batch`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

    // Bulk: 1,000 explicit users, one card each, through $batch.
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
      rows.push({ userId: id, der });
    }
    const before = emu.graph.requests.length;
    const results = await service.applyBulk(rows);
    const requests = emu.graph.requests.length - before;
    const written = results.filter((r) => r.status === 'written').length;
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
