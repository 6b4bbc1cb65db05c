/**
 * Enrollment service: find the practitioner's account from a card, plan and write the `certificateUserIds` mapping
 * safely (GET → merge → PATCH → group → verify), remove it, queue steps durably when Graph is unreachable and replay
 * them in order, and journal every step in the hash-chained journal.
 */
import type {
  CertificateSource,
  DirectoryUsersOutput,
  EnrollmentOutcome,
  EnrollmentPlan,
  EnrollmentTarget,
  FindCandidatesOutput,
  JournalView,
  QueueItemView,
  QueueStateView,
  RemovalPlanView,
  RemovalTarget,
} from '../../../shared/contract/enrollment';
import { AppError } from '../../../shared/errors';
import { idempotencyKey, toAppError } from '../../../shared/enrollment';
import type { MappingLimits } from '../../../shared/enrollment';
import type { Logger } from '../../../shared/logging';
import type { GraphService } from '../graph';
import type { StoreService } from '../store';
import { applyBulk } from './bulk';
import type { BulkOptions, BulkResult, BulkRow } from './bulk';
import { resolveCard } from './card';
import type { ResolvedCard } from './card';
import { assertCertificateUsable } from './cert-status';
import type { CertificateStatusPort } from './cert-status';
import { isTransient } from './errors';
import { entry, journalView } from './journal';
import type { Agent } from './journal';
import { createReplayer } from './replay';
import { toItemView } from './replay-view';
import { createRunner } from './runner';
import { createReads } from './reads';
import type { RunOutcome, StepPayload } from './runner';
import { stepPayloadSchema } from './runner';
import type { QueueItem } from '../store';

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
  /** Remove the card's values (or values picked on the user) from the user, or queue the removal. */
  remove(target: RemovalTarget): Promise<EnrollmentOutcome>;
  /** What remove would do: values removed, values kept and why; nothing is written. */
  planRemoval(target: RemovalTarget): Promise<RemovalPlanView>;
  /** Accounts holding one of the card's values (remove by loaded certificate). */
  findHolders(source: CertificateSource): Promise<DirectoryUsersOutput>;
  /** Users by name, UPN or mail, with their values (remove by user). */
  searchUsers(query: string): Promise<DirectoryUsersOutput>;
  /** Journal that the agent noted the Active Directory instruction for a synced user. */
  noteAdInstruction(target: EnrollmentTarget): Promise<{ journalSeq: number }>;
  /** Pending queue items. */
  queue(): Promise<QueueStateView>;
  /** Run pending items in order now. */
  replay(): Promise<QueueStateView>;
  /** Put a refused item back in the queue (journaled) and replay now. */
  retryItem(id: number): Promise<QueueStateView>;
  /** Take a refused, held or pending item out of the queue for good (journaled). */
  dismissItem(id: number): Promise<QueueStateView>;
  /** Confirm the account a held step found (its object id, as shown) and replay now. */
  confirmItem(id: number, userId: string): Promise<QueueStateView>;
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
  /** A replayed step was refused for good or held for the agent's confirmation. */
  onReplayFailed?: (item: QueueItemView) => void;
  limits?: MappingLimits;
  /** Automatic replay backoff; false disables the timer (tests drive `replay`). */
  autoReplay?: { baseDelayMs: number; maxDelayMs: number } | false;
  /** Settle delay before the second verification read after a PATCH (0: none; see `StepContext.settleMs`). */
  settleMs?: number;
  /**
   * Validity and revocation of a card (the desk's trust store and CRLs): an expired, not-yet-valid or revoked card is
   * refused in plan, apply, replay and bulk; removal never asks. Absent: not checked.
   */
  certificateStatus?: CertificateStatusPort;
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
    identifierAttribute: async () => (await deps.config()).identifierAttribute,
    onNeedsAgent: (item) => {
      deps.onReplayFailed?.(toItemView(item));
    },
    ...(deps.limits === undefined ? {} : { limits: deps.limits }),
    ...(deps.settleMs === undefined ? {} : { settleMs: deps.settleMs }),
    ...(deps.certificateStatus === undefined ? {} : { certificateStatus: deps.certificateStatus }),
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
    probe: async (session) => {
      try {
        await session.graph.get<unknown>('/organization?$select=id');
      } catch (error) {
        // Only the network matters here: a refused read (403…) still proves Graph answers.
        if (isTransient(error)) {
          throw error;
        }
      }
    },
    ...(deps.onQueueChanged === undefined ? {} : { onQueueChanged: deps.onQueueChanged }),
    ...(deps.onCompleted === undefined ? {} : { onCompleted: deps.onCompleted }),
  });

  const enqueueStep = async (payload: StepPayload, values: readonly string[]): Promise<number> => {
    const key = await idempotencyKey({
      tenantId: payload.tenantId,
      userId: payload.userId,
      operation: payload.op === 'remove' ? 'remove-mapping' : payload.isRenewal ? 'replace-mapping' : 'add-mapping',
      values,
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

  /** Older pending items of the same user (by object id or UPN), oldest first. */
  const olderItemsOf = async (payload: StepPayload, beforeId: number): Promise<QueueItem[]> => {
    const keys = userKeys(payload);
    const pending = await deps.store.queue.pending(500);
    return pending.filter((item) => {
      const other = stepPayloadSchema.safeParse(item.payload);
      return (
        item.id < beforeId &&
        other.success &&
        other.data.tenantId === payload.tenantId &&
        userKeys(other.data).some((k) => keys.includes(k))
      );
    });
  };

  const step = async (
    base: Pick<StepPayload, 'op' | 'userId' | 'isRenewal' | 'values' | 'reason'> & {
      userPrincipalName?: string | undefined;
    },
    card: ResolvedCard | undefined,
  ): Promise<EnrollmentOutcome> => {
    const session = await deps.session();
    const payload: StepPayload = {
      op: base.op,
      ...(card === undefined ? {} : { derBase64: Buffer.from(card.der).toString('base64') }),
      ...(base.values === undefined ? {} : { values: [...base.values] }),
      ...(base.reason === undefined ? {} : { reason: base.reason }),
      userId: base.userId,
      userPrincipalName: base.userPrincipalName ?? null,
      isRenewal: base.isRenewal,
      tenantId: session.agent.tenantId,
      requestedBy: session.agent.upn,
    };
    const values = card === undefined ? [...(base.values ?? [])] : card.list.map((v) => v.value);
    return withUserLock(base.userId, async () => {
      const id = await enqueueStep(payload, values);
      // Older steps for this user go first (a removal queued offline must not undo a newer write).
      let blocked = false;
      for (const older of await olderItemsOf(payload, id)) {
        let outcome: RunOutcome;
        try {
          outcome = await runner.run(older, session, 'replay');
        } catch {
          continue; // refused for good: journalled as abandoned, it no longer blocks this user
        }
        if (outcome.kind === 'queued') {
          blocked = true;
          break;
        }
      }
      const item = await deps.store.queue.get(id);
      let outcome: RunOutcome = { kind: 'skipped' };
      if (blocked) {
        outcome = { kind: 'queued', error: new AppError('graph.offline') };
        await deps.store.journal.append(
          entry({
            kind: 'queued',
            agent: session.agent,
            card: card?.journal,
            user: { id: base.userId, upn: base.userPrincipalName },
            details: { op: base.op, behindOlderItems: true, idempotencyKey: item?.idempotencyKey ?? null },
          }),
        );
      } else if (item !== undefined) {
        outcome = await runner.run(item, session, 'direct');
      }
      const view = toOutcome(outcome, base.userId, base.userPrincipalName);
      replayer.afterStep(outcome);
      if (view.status !== 'queued') {
        deps.onCompleted?.(view);
      }
      return view;
    });
  };

  const reads = createReads({ deps, replayer, configuredGroupId });

  void replayer.start().catch(() => undefined);

  return {
    ...reads,
    apply: async (target) => {
      const card = await resolveCard(target.source, deps.lastCertificate);
      // Refused before anything is queued or sent (offline too: the CRLs are local).
      await assertCertificateUsable(deps.certificateStatus, card);
      return step(
        {
          op: 'write',
          userId: target.userId,
          userPrincipalName: target.userPrincipalName,
          isRenewal: target.isRenewal ?? false,
        },
        card,
      );
    },
    remove: async (target) => {
      const card = target.source === undefined ? undefined : await resolveCard(target.source, deps.lastCertificate);
      return step(
        {
          op: 'remove',
          userId: target.userId,
          userPrincipalName: target.userPrincipalName,
          isRenewal: false,
          reason: target.reason ?? 'other',
          ...(card === undefined ? { values: target.values ?? [] } : {}),
        },
        card,
      );
    },
    queue: () => replayer.view(),
    replay: () => replayer.replay(),
    retryItem: (id) => replayer.retry(id),
    dismissItem: (id) => replayer.dismiss(id),
    confirmItem: (id, userId) => replayer.confirm(id, userId),
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
        ...(deps.certificateStatus === undefined ? {} : { certificateStatus: deps.certificateStatus }),
        ...(options === undefined ? {} : { options }),
      });
    },
    close: () => {
      replayer.close();
    },
  };
}

/** Lower-cased object id and UPN of a step, to recognise the same user however a step named them. */
function userKeys(payload: Pick<StepPayload, 'userId' | 'userPrincipalName'>): string[] {
  return [payload.userId, payload.userPrincipalName]
    .filter((k): k is string => typeof k === 'string' && k !== '')
    .map((k) => k.toLowerCase());
}

function toOutcome(outcome: RunOutcome, userId: string, upn: string | undefined): EnrollmentOutcome {
  if (outcome.kind === 'done') {
    const r = outcome.result;
    return {
      status: r.status,
      userId: r.user.id,
      userPrincipalName: r.user.userPrincipalName ?? r.user.id,
      certificateUserIds: r.certificateUserIds,
      isGroupMember: r.addedToGroup !== null,
      journalSeq: outcome.journalSeq,
      unexpected: r.unexpected,
    };
  }
  return {
    status: 'queued',
    userId,
    userPrincipalName: upn ?? userId,
    certificateUserIds: [],
    isGroupMember: false,
    journalSeq: null,
  };
}
