/**
 * Enrollment service: find the practitioner's account from a card, plan and write the `certificateUserIds` mapping
 * safely (GET → merge → PATCH → group → verify), remove it, queue steps durably when Graph is unreachable and replay
 * them in order, and journal every step in the hash-chained journal.
 */
import type {
  CertificateSource,
  EnrollmentOutcome,
  EnrollmentPlan,
  EnrollmentTarget,
  FindCandidatesOutput,
  JournalView,
  QueueStateView,
} from '../../../shared/contract/enrollment';
import { idempotencyKey, toAppError } from '../../../shared/enrollment';
import type { MappingLimits } from '../../../shared/enrollment';
import type { Logger } from '../../../shared/logging';
import type { GraphService } from '../graph';
import type { StoreService } from '../store';
import { applyBulk } from './bulk';
import type { BulkOptions, BulkResult, BulkRow } from './bulk';
import { resolveCard } from './card';
import type { ResolvedCard } from './card';
import { createDirectory } from './directory';
import { isTransient } from './errors';
import { prepareWrite } from './execute';
import { findCandidates } from './find';
import { entry, journalView } from './journal';
import type { Agent } from './journal';
import { createReplayer } from './replay';
import { createRunner } from './runner';
import type { RunOutcome, StepPayload } from './runner';

export type { Agent } from './journal';
export type { BulkRow, BulkResult, BulkOptions } from './bulk';

/** The enrollment service port. */
export interface EnrollmentService {
  /** Candidates for the card (ranked, with their current values) and every account already holding one of its values. */
  findCandidates(source: CertificateSource, query?: string): Promise<FindCandidatesOutput>;
  /** What apply would do, with the exact Graph requests; nothing is written. */
  plan(target: EnrollmentTarget): Promise<EnrollmentPlan>;
  /** Write the mapping (or queue it when Graph is unreachable). */
  apply(target: EnrollmentTarget): Promise<EnrollmentOutcome>;
  /** Remove the card's values from the user (or queue the removal). */
  remove(target: Omit<EnrollmentTarget, 'isRenewal'>): Promise<EnrollmentOutcome>;
  /** Pending queue items. */
  queue(): Promise<QueueStateView>;
  /** Run pending items in order now. */
  replay(): Promise<QueueStateView>;
  /** Recent journal entries and the chain verification. */
  journal(limit: number): Promise<JournalView>;
  /** Many mappings at once through `$batch` (GETs, PATCHes and group adds, 20 per round trip). */
  applyBulk(rows: readonly BulkRow[], options?: BulkOptions): Promise<BulkResult[]>;
  /** Stop the automatic replay timer. */
  close(): void;
}

/** Dependencies of the enrollment service. */
export type EnrollmentServiceDeps = {
  /** Graph for the signed-in agent, and who the agent is (journal). */
  session: () => Promise<{ graph: GraphService; agent: Agent }>;
  store: Pick<StoreService, 'journal' | 'queue'>;
  /** Settings: the CBA group (null: the group the x509 method targets) and the identifier attribute. */
  config: () => Promise<{ cbaGroupId: string | null; identifierAttribute: string | null }>;
  /** DER of the authentication certificate last read in a reader. */
  lastCertificate: (reader: string) => Uint8Array | undefined;
  logger: Logger;
  now?: () => number;
  onQueueChanged?: (state: QueueStateView) => void;
  onCompleted?: (outcome: EnrollmentOutcome) => void;
  limits?: MappingLimits;
  /** Automatic replay backoff; false disables the timer (tests drive `replay`). */
  autoReplay?: { baseDelayMs: number; maxDelayMs: number } | false;
};

/** Create the enrollment service. */
export function createEnrollmentService(deps: EnrollmentServiceDeps): EnrollmentService {
  const now = deps.now ?? (() => Date.now());
  const backoff = deps.autoReplay === false ? { baseDelayMs: 2000, maxDelayMs: 300_000 } : deps.autoReplay;
  const retryDelayMs = (attempt: number): number =>
    Math.min(
      backoff?.maxDelayMs ?? 300_000,
      (backoff?.baseDelayMs ?? 2000) * 2 ** Math.min(20, Math.max(0, attempt - 1)),
    );
  const configuredGroupId = async () => (await deps.config()).cbaGroupId;
  const runner = createRunner({
    store: deps.store,
    logger: deps.logger,
    now,
    configuredGroupId,
    retryDelayMs,
    ...(deps.limits === undefined ? {} : { limits: deps.limits }),
  });
  const locks = new Map<string, Promise<unknown>>();
  /** One step per user at a time in this desk: two clicks never race each other. */
  const withUserLock = async <T>(userId: string, fn: () => Promise<T>): Promise<T> => {
    const previous = locks.get(userId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(fn);
    locks.set(userId, next);
    try {
      return await next;
    } finally {
      if (locks.get(userId) === next) {
        locks.delete(userId);
      }
    }
  };
  const replayer = createReplayer({
    store: deps.store,
    session: deps.session,
    runner,
    withUserLock,
    logger: deps.logger,
    retryDelayMs,
    autoReplay: deps.autoReplay !== false,
    ...(deps.onQueueChanged === undefined ? {} : { onQueueChanged: deps.onQueueChanged }),
    ...(deps.onCompleted === undefined ? {} : { onCompleted: deps.onCompleted }),
  });

  const enqueueStep = async (payload: StepPayload, card: ResolvedCard): Promise<number> => {
    const key = await idempotencyKey({
      tenantId: payload.tenantId,
      userId: payload.userId,
      operation: payload.op === 'remove' ? 'remove-mapping' : payload.isRenewal ? 'replace-mapping' : 'add-mapping',
      values: card.list.map((v) => v.value),
    });
    if (!key.ok) {
      throw toAppError(key.refusal);
    }
    const kind = payload.op === 'write' ? 'write-mapping' : 'remove-mapping';
    const first = await deps.store.queue.enqueue({ idempotencyKey: key.key, kind, payload });
    if (first.item.state === 'pending' || first.item.state === 'in-flight') {
      return first.item.id;
    }
    // The same step finished before (done or refused): asking again is a new request, keyed apart.
    const again = await deps.store.queue.enqueue({ idempotencyKey: `${key.key}.${String(now())}`, kind, payload });
    return again.item.id;
  };

  const step = async (
    op: 'write' | 'remove',
    target: { source: CertificateSource; userId: string; isRenewal?: boolean },
  ): Promise<EnrollmentOutcome> => {
    const card = await resolveCard(target.source, deps.lastCertificate);
    const session = await deps.session();
    const payload: StepPayload = {
      op,
      derBase64: Buffer.from(card.der).toString('base64'),
      userId: target.userId,
      userPrincipalName: null,
      isRenewal: target.isRenewal ?? false,
      tenantId: session.agent.tenantId,
      requestedBy: session.agent.upn,
    };
    return withUserLock(target.userId, async () => {
      const id = await enqueueStep(payload, card);
      const item = await deps.store.queue.get(id);
      let outcome: RunOutcome = { kind: 'skipped' };
      if (item !== undefined) {
        outcome = await runner.run(item, session, 'direct');
      }
      const view = toOutcome(outcome, target.userId);
      replayer.afterStep(outcome);
      if (view.status !== 'queued') {
        deps.onCompleted?.(view);
      }
      return view;
    });
  };

  return {
    async findCandidates(source, query) {
      const card = await resolveCard(source, deps.lastCertificate);
      const session = await deps.session();
      const { identifierAttribute } = await deps.config();
      const found = await findCandidates({
        directory: createDirectory(session.graph),
        card,
        identifierAttribute,
        query,
      });
      replayer.markOnline();
      await deps.store.journal.append(
        entry({
          kind: 'card-read',
          agent: session.agent,
          card: card.journal,
          details: {
            source: source.kind,
            serialHex: card.info.serialHex,
            candidates: found.candidates.length,
            conflicts: found.conflicts.length,
          },
        }),
      );
      return found;
    },
    async plan(target) {
      const card = await resolveCard(target.source, deps.lastCertificate);
      const session = await deps.session();
      const ctx = {
        directory: createDirectory(session.graph),
        configuredGroupId: await configuredGroupId(),
        ...(deps.limits === undefined ? {} : { limits: deps.limits }),
      };
      try {
        const { plan } = await prepareWrite(ctx, card, target.userId, target.isRenewal ?? false);
        replayer.markOnline();
        return plan.view;
      } catch (error) {
        if (isTransient(error)) {
          replayer.markOffline();
        }
        throw error;
      }
    },
    apply: (target) => step('write', target),
    remove: (target) => step('remove', target),
    queue: () => replayer.view(),
    replay: () => replayer.replay(),
    journal: (limit) => journalView(deps.store.journal, limit),
    async applyBulk(rows, options) {
      const session = await deps.session();
      return applyBulk({
        graph: session.graph,
        agent: session.agent,
        journal: deps.store.journal,
        rows,
        groupId: await configuredGroupId(),
        ...(deps.limits === undefined ? {} : { limits: deps.limits }),
        ...(options === undefined ? {} : { options }),
      });
    },
    close: () => {
      replayer.close();
    },
  };
}

function toOutcome(outcome: RunOutcome, userId: string): EnrollmentOutcome {
  if (outcome.kind === 'done') {
    const r = outcome.result;
    return {
      status: r.status,
      userId: r.user.id,
      userPrincipalName: r.user.userPrincipalName ?? r.user.id,
      certificateUserIds: r.certificateUserIds,
      isGroupMember: r.addedToGroup !== null,
      journalSeq: outcome.journalSeq,
    };
  }
  return {
    status: 'queued',
    userId,
    userPrincipalName: userId,
    certificateUserIds: [],
    isGroupMember: false,
    journalSeq: null,
  };
}
