/**
 * Test harness for the enrollment service: both emulators, a real Graph service with tokens signed by the authority
 * emulator, a real store in a temporary folder, and TEST cards issued for seeded clinique-demo practitioners.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createEnrollmentService } from '../../../electron/services/enrollment/index';
import type { Agent, EnrollmentService, EnrollmentServiceDeps } from '../../../electron/services/enrollment/index';
import { createGraphService } from '../../../electron/services/graph/index';
import type { GraphService } from '../../../electron/services/graph/index';
import { createStore } from '../../../electron/services/store/index';
import type { StoreService } from '../../../electron/services/store/index';
import { getSharedTestPki, issueCardCertificates } from '../../../emulators/card/certificates';
import type { Practitioner } from '../../../emulators/card/certificates';
import type { EmulatorState, Entity } from '../../../emulators/graph/index';
import { silentLogger } from '../../../shared/logging';
import type { Emulators } from '../../helpers/emulators/index';
import { demoAdmin, startEmulators } from '../../helpers/emulators/index';

/** The seeded clinique-demo user at `index` of the staff list (ids are `00000002-0001-4000-8000-<n>`). */
export function staffId(index: number): string {
  return `00000002-0001-4000-8000-${String(index + 1).padStart(12, '0')}`;
}

/** A TEST practitioner named like a seeded user. */
export function practitioner(givenName: string, surname: string, nationalId: string, cardNumber: string): Practitioner {
  return {
    nationalId,
    idType: '8',
    givenName,
    surname: surname.toUpperCase(),
    profession: 'Médecin',
    professionCode: 10,
    cardNumber,
    cardType: 0,
  };
}

/** Issue a TEST card authentication certificate (DER, base64). */
export async function issueCard(person: Practitioner): Promise<string> {
  const pki = await getSharedTestPki();
  const { authentication } = await issueCardCertificates(pki, person);
  return Buffer.from(authentication.der).toString('base64');
}

/** A Graph service for a seeded account, tokens from the authority emulator. */
export function graphFor(emu: Emulators, upn: string = demoAdmin): GraphService {
  return createGraphService({
    baseUrl: emu.graph.url,
    caCertPem: emu.graph.caCertPem,
    tenantId: emu.graph.tenant('clinique-demo').id,
    readScopes: ['User.Read.All', 'GroupMember.Read.All', 'Policy.Read.All'],
    tokens: (r) => Promise.resolve(emu.authority.issueAccessToken({ userPrincipalName: upn, scopes: r.scopes })),
    retry: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 3 },
  });
}

/** The agent journalled for the demo admin. */
export function agentFor(emu: Emulators, upn: string = demoAdmin): Agent {
  const tenant = emu.graph.tenant('clinique-demo');
  const user = tenant.users.find((u) => u.userPrincipalName === upn);
  return { upn, oid: user?.id ?? 'unknown', tenantId: tenant.id };
}

/** A service over a real store in a fresh folder. */
export type Desk = { service: EnrollmentService; store: StoreService; dir: string; close(): void };

/** Create a desk for tests (no automatic replay timer: the tests drive `replay`). */
export function createDesk(
  graph: GraphService,
  agent: Agent,
  overrides: Partial<EnrollmentServiceDeps> = {},
  dir: string = mkdtempSync(join(tmpdir(), 'psc-enroll-')),
): Desk {
  const store = createStore({ filePath: join(dir, 'psc.db'), clock: { now: () => Date.now() }, logger: silentLogger });
  const service = createEnrollmentService({
    session: () => Promise.resolve({ graph, agent }),
    store,
    config: () => Promise.resolve({ cbaGroupId: null, identifierAttribute: 'employeeId' }),
    lastCertificate: () => undefined,
    logger: silentLogger,
    autoReplay: false,
    ...overrides,
  });
  return {
    service,
    store,
    dir,
    close: () => {
      service.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** certificateUserIds of a user in the emulator. */
export function idsOf(emu: Emulators, userId: string): string[] {
  const user = emu.graph.tenant('clinique-demo').users.find((u) => u.id === userId);
  const info = user?.authorizationInfo as { certificateUserIds?: string[] } | undefined;
  return [...(info?.certificateUserIds ?? [])];
}

/** Set a user's certificateUserIds directly in the emulator (another tool or agent did it). */
export function setIds(emu: Emulators, userId: string, ids: string[]): void {
  const user: Entity | undefined = emu.graph.tenant('clinique-demo').users.find((u) => u.id === userId);
  if (user === undefined) {
    throw new Error(`no user ${userId}`);
  }
  user.authorizationInfo = { certificateUserIds: ids };
}

/** Writes the emulator served for a user. */
export function patchesTo(emu: Emulators, userId: string): number {
  return emu.graph.requests.filter(
    (r) => r.method === 'PATCH' && r.path.startsWith(`/users/${userId}`) && r.status < 300,
  ).length;
}

/**
 * What a desk suite's tests use; each property throws when read outside the suite's hooks and tests. A test that
 * restarts the desk assigns the new one to `desk`, so the suite closes that one.
 */
export type DeskSuite = { readonly emu: Emulators; readonly graph: GraphService; desk: Desk };

/**
 * The life cycle the desk suites share: emulators and Graph started once; per test, the tenant reset to its seed, the
 * request log cleared and a fresh desk, then faults and offline mode undone and the desk closed.
 */
export function useDeskSuite(): DeskSuite {
  let started: { emu: Emulators; graph: GraphService; pristine: EmulatorState } | undefined;
  let desk: Desk | undefined;
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) {
      throw new Error('desk suite read outside its hooks');
    }
    return value;
  };
  beforeAll(async () => {
    const emu = await startEmulators();
    started = { emu, graph: graphFor(emu), pristine: emu.graph.snapshot() };
  }, 60_000);
  beforeEach(() => {
    const { emu, graph, pristine } = need(started);
    emu.graph.restore(pristine);
    emu.graph.requests.length = 0;
    desk = createDesk(graph, agentFor(emu));
  });
  afterEach(async () => {
    const { emu } = need(started);
    emu.graph.setFaults([]);
    await emu.graph.setOffline(false);
    need(desk).close();
  });
  afterAll(async () => {
    const { emu, graph } = need(started);
    graph.close();
    await emu.close();
  });
  return {
    get emu() {
      return need(started).emu;
    },
    get graph() {
      return need(started).graph;
    },
    get desk() {
      return need(desk);
    },
    set desk(next: Desk) {
      desk = next;
    },
  };
}
