import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Handlers } from '../../shared/contract/dispatcher';
import type { AppMode } from '../../shared/contract/schemas';
import { createEnrollmentService } from '../services/enrollment';
import type { Agent, EnrollmentService } from '../services/enrollment';
import type { BulkSession } from '../services/enrollment/bulk';
import type { CertificateStatusPort } from '../services/enrollment/cert-status';
import type { GraphService } from '../services/graph';
import type { SignedInAccount } from '../services/identity';
import { createLogger } from '../services/logging';
import type { SettingsService } from '../services/settings';
import { createStore } from '../services/store';
import type { StoreService } from '../services/store';
import { DB_FILE_NAME } from '../services/store/paths';
import type { EventBus } from './event-bus';

type EnrollmentHandlers = Pick<
  Handlers,
  | 'enrollment:find-candidates'
  | 'enrollment:plan'
  | 'enrollment:apply'
  | 'enrollment:remove'
  | 'enrollment:get-queue'
  | 'enrollment:replay'
  | 'enrollment:retry-item'
  | 'enrollment:dismiss-item'
  | 'enrollment:confirm-item'
  | 'enrollment:plan-removal'
  | 'enrollment:find-holders'
  | 'enrollment:search-users'
  | 'enrollment:note-ad-instruction'
  | 'journal:get'
>;

/** Where the national identifier is looked for when settings name none (always filterable on Graph). */
export const defaultIdentifierAttribute = 'employeeId';

/** The agent as the journal records it (`homeAccountId` is `<oid>.<tid>` in MSAL). */
export function agentOf(account: SignedInAccount): Agent {
  return {
    upn: account.username,
    oid: account.homeAccountId.split('.')[0] ?? account.homeAccountId,
    tenantId: account.tenantId,
  };
}

/**
 * Enrollment wiring: the store (journal + offline queue) in the mode's data folder, the enrollment service bound to
 * the signed-in account's Graph, settings and the card desk. The CBA group defaults to the group the tenant's x509
 * method targets (in demo mode: `GG-PSC-Praticiens` of clinique-demo).
 */
export function wireEnrollment(options: {
  mode: AppMode;
  dataDir: string;
  bus: EventBus;
  settings: SettingsService;
  graphForActiveAccount: () => Promise<{ graph: GraphService; account: SignedInAccount }>;
  lastCertificate: (reader: string) => Uint8Array | undefined;
  /** Validity and revocation of a card (the card desk's trust store): refused cards are never written. */
  certificateStatus?: CertificateStatusPort;
}) {
  const logger = createLogger('enrollment');
  let store: StoreService | undefined;
  let service: EnrollmentService | undefined;

  const session = async () => {
    const { graph, account } = await options.graphForActiveAccount();
    return { graph, agent: agentOf(account) };
  };
  const config = async () => {
    const settings = await options.settings.get();
    return {
      cbaGroupId: settings.cbaGroupId ?? null,
      identifierAttribute: settings.identifierAttribute ?? defaultIdentifierAttribute,
    };
  };

  const open = (): { service: EnrollmentService; store: StoreService } => {
    if (service !== undefined && store !== undefined) {
      return { service, store };
    }
    // Opened on first use: a desk that never enrolls never creates the database.
    store = createStore({ filePath: join(options.dataDir, DB_FILE_NAME), clock: { now: () => Date.now() }, logger });
    service = createEnrollmentService({
      session,
      store,
      config,
      lastCertificate: options.lastCertificate,
      ...(options.certificateStatus === undefined ? {} : { certificateStatus: options.certificateStatus }),
      logger,
      onQueueChanged: (state) => {
        options.bus.emit('enrollment:queue-changed', state);
      },
      onCompleted: (outcome) => {
        options.bus.emit('enrollment:completed', outcome);
      },
      onReplayFailed: (item) => {
        options.bus.emit('enrollment:replay-failed', item);
      },
      // Bounded backoff while items wait: each attempt starts with a cheap probe, so probing often costs little.
      autoReplay: { baseDelayMs: 1000, maxDelayMs: 30_000 },
      settleMs: 300,
    });
    return { service, store };
  };
  const get = (): EnrollmentService => open().service;

  // A queue left pending by a previous run (closed offline, crashed) is replayed without waiting for the agent.
  if (existsSync(join(options.dataDir, DB_FILE_NAME))) {
    setTimeout(() => {
      try {
        get();
      } catch (error) {
        logger.warn('enrollment store not opened at start', { error: String(error) });
      }
    }, 0).unref();
  }

  const handlers: EnrollmentHandlers = {
    'enrollment:find-candidates': ({ source, query }) => get().findCandidates(source, query),
    'enrollment:plan': (target) => get().plan(target),
    'enrollment:apply': (target) => get().apply(target),
    'enrollment:remove': (target) => get().remove(target),
    'enrollment:get-queue': () => get().queue(),
    'enrollment:replay': () => get().replay(),
    'enrollment:retry-item': ({ id }) => get().retryItem(id),
    'enrollment:dismiss-item': ({ id }) => get().dismissItem(id),
    'enrollment:confirm-item': ({ id, userId }) => get().confirmItem(id, userId),
    'enrollment:plan-removal': (target) => get().planRemoval(target),
    'enrollment:find-holders': ({ source }) => get().findHolders(source),
    'enrollment:search-users': ({ query }) => get().searchUsers(query),
    'enrollment:note-ad-instruction': (target) => get().noteAdInstruction(target),
    'journal:get': ({ limit }) => get().journal(limit),
  };

  return {
    handlers,
    /** The enrollment service. */
    service: get,
    /** The enrollment store (journal, queue, bulk jobs), opened on first use. */
    store: (): StoreService => open().store,
    /** The session a bulk job runs in: the desk's Graph, agent, journal and CBA group, so the two never diverge. */
    bulkSession: async (): Promise<BulkSession> => {
      const [{ graph, agent }, { cbaGroupId }] = await Promise.all([session(), config()]);
      return {
        graph,
        agent,
        journal: open().store.journal,
        configuredGroupId: cbaGroupId,
        ...(options.certificateStatus === undefined ? {} : { certificateStatus: options.certificateStatus }),
      };
    },
    close(): Promise<void> {
      service?.close();
      store?.close();
      return Promise.resolve();
    },
  };
}
