/**
 * Runs queued enrollment steps: every apply and removal is first written to the durable queue (write-ahead), then
 * claimed (with an `attempt` journal entry carrying the planned values, in the same transaction), executed from a
 * fresh GET and completed (result entries and `done` in one transaction). A crash at any point leaves the item
 * pending (the store puts in-flight items back on open); running it again finds the work done instead of repeating
 * it, and when an earlier attempt may have sent its write, says the write landed (`confirmedOnReplay`).
 */
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import type { Logger } from '../../../shared/logging';
import type { QueueItem, StoreService } from '../store';
import { resolveDer } from './card';
import type { ResolvedCard } from './card';
import { assertCertificateUsable } from './cert-status';
import type { CertificateStatusPort } from './cert-status';
import { createDirectory } from './directory';
import type { Directory } from './directory';
import { holdUnlessHolder, isQueuedByUpn, NEEDS_CONFIRMATION } from './replay-guard';
import type { Hold } from './replay-guard';
import { isTransient } from './errors';
import { executeWrite } from './execute';
import { executeRemove } from './remove';
import type { StepContext, StepResult } from './execute';
import { entry } from './journal';
import type { Agent, JournalDetails } from './journal';
import type { GraphService } from '../graph';
import { sameMappingValue } from '../../../shared/enrollment';
import type { MappingLimits } from '../../../shared/enrollment';

/** What a queue item carries: enough to redo the step from scratch, with no secret. */
export const stepPayloadSchema = z.object({
  op: z.enum(['write', 'remove']),
  /** The card (absent for a removal of values picked on the user). */
  derBase64: z.string().min(1).optional(),
  /** Values picked on the user (by-user removal). */
  values: z.array(z.string()).optional(),
  /** Object id, or the UPN when the step was queued without reaching Graph (resolved by the GET on replay). */
  userId: z.string().min(1),
  userPrincipalName: z.string().nullable(),
  isRenewal: z.boolean(),
  reason: z.enum(['lost', 'stolen', 'replaced', 'other']).optional(),
  tenantId: z.string().min(1),
  requestedBy: z.string().min(1),
});
/** A step payload. */
export type StepPayload = z.infer<typeof stepPayloadSchema>;

/** How a run ended. */
export type RunOutcome =
  | { kind: 'done'; result: StepResult; journalSeq: number | null; confirmedOnReplay: boolean }
  | { kind: 'queued'; error: AppError }
  | { kind: 'held'; hold: Hold }
  | { kind: 'skipped' };

/** Dependencies of the runner. */
export type RunnerDeps = {
  store: Pick<StoreService, 'journal' | 'queue'>;
  logger: Logger;
  now: () => number;
  configuredGroupId: () => Promise<string | null>;
  limits?: MappingLimits;
  /** Settle delay before the second verification read after a PATCH (see `StepContext.settleMs`). */
  settleMs?: number;
  /** Delay before an item that failed transiently is due again (attempt is 1-based). */
  retryDelayMs: (attempt: number) => number;
  /** Attribute holding the national identifier (ranking of an account named by UPN); null: employeeId only. */
  identifierAttribute?: () => Promise<string | null>;
  /** A replayed item was refused for good or held for the agent: the desk announces it. */
  onNeedsAgent?: (item: QueueItem) => void;
  /** Validity and revocation of a card, checked again at every run of a write (the CRL may be newer than the queue). */
  certificateStatus?: CertificateStatusPort;
};

function errorText(error: unknown): string {
  return error instanceof AppError ? error.code : 'internal';
}

function resultJson(r: StepResult): JournalDetails {
  return {
    status: r.status,
    userId: r.user.id,
    certificateUserIds: r.certificateUserIds,
    added: r.added,
    removed: r.removed,
    addedToGroup: r.addedToGroup,
    remerges: r.remerges,
    unexpected: r.unexpected,
  };
}

/** The values a step plans to write or remove (journaled with each attempt). */
function plannedValues(payload: StepPayload, card: ResolvedCard | undefined): string[] {
  return card === undefined ? [...(payload.values ?? [])] : card.list.map((v) => v.value);
}

/**
 * A write found already there, or a removal found already gone, after an attempt that may have sent it: the earlier
 * attempt landed (its reply was lost, or the app died after sending). Say so rather than « unchanged ».
 */
function landedEarlier(result: StepResult, payload: StepPayload, planned: readonly string[], sentAt: string | null) {
  if (sentAt === null || result.status !== 'unchanged' || planned.length === 0) {
    return false;
  }
  const has = (v: string) => result.certificateUserIds.some((x) => sameMappingValue(x, v));
  // A write sends the values the tenant's bindings match (a subset of the card's): one of them present is the mark.
  return payload.op === 'write' ? planned.some(has) : !planned.some(has);
}

/** The directory of a step, noting in the queue before each PATCH that the write may leave the machine. */
function trackedDirectory(directory: Directory, markSent: () => Promise<unknown>): Directory {
  return {
    ...directory,
    async writeMapping(userId, next) {
      await markSent();
      return directory.writeMapping(userId, next);
    },
  };
}

/** Create the runner. */
export function createRunner(deps: RunnerDeps) {
  /** Execute a claimed item; `mode` decides the journal kinds (a replay says so). */
  async function run(
    item: QueueItem,
    session: { graph: GraphService; agent: Agent },
    mode: 'direct' | 'replay',
  ): Promise<RunOutcome> {
    const payload = stepPayloadSchema.parse(item.payload);
    const { agent } = session;
    let card: ResolvedCard | undefined;
    let cardError: AppError | undefined;
    try {
      card =
        payload.derBase64 === undefined
          ? undefined
          : await resolveDer(new Uint8Array(Buffer.from(payload.derBase64, 'base64')));
    } catch (error) {
      // Refused below, once claimed (journaled as a failure of this item).
      cardError = error instanceof AppError ? error : new AppError('enrollment.invalid-certificate', { cause: error });
    }
    const planned = plannedValues(payload, card);
    const user = { id: payload.userId, upn: payload.userPrincipalName };
    // The attempt is journaled with the claim: a crash after sending leaves « attempt » with no result in the journal.
    const claimed = await deps.store.queue.claim(item.id, (c) =>
      entry({
        kind: 'attempt',
        agent,
        card: card?.journal,
        user,
        details: {
          op: payload.op,
          values: planned,
          idempotencyKey: c.idempotencyKey,
          attempt: c.attempts,
          mode,
          mayHaveBeenSentBefore: c.sentAt !== null,
          ...(c.confirmedUserId === null ? {} : { confirmedUserId: c.confirmedUserId }),
        },
      }),
    );
    if (claimed === undefined) {
      return { kind: 'skipped' };
    }
    try {
      if (cardError !== undefined) {
        throw cardError;
      }
      const directory = trackedDirectory(createDirectory(session.graph), () => deps.store.queue.markSent(item.id));
      const ctx: StepContext = {
        directory,
        configuredGroupId: await deps.configuredGroupId(),
        ...(deps.limits === undefined ? {} : { limits: deps.limits }),
        ...(deps.settleMs === undefined ? {} : { settleMs: deps.settleMs }),
      };
      let result: StepResult;
      if (payload.op === 'write') {
        if (card === undefined) {
          throw new AppError('enrollment.invalid-certificate', { details: { reason: 'missing' } });
        }
        // Before any Graph request: a card revoked or expired since it was queued is never written (refused for good).
        const status = await assertCertificateUsable(deps.certificateStatus, card);
        if (status !== undefined) {
          ctx.certificateStatus = () => Promise.resolve(status);
        }
        let userRef = claimed.confirmedUserId ?? payload.userId;
        if (claimed.confirmedUserId === null && isQueuedByUpn(payload.userId)) {
          // Typed offline: make sure the account is the card holder before writing anything on it.
          const found = await directory.getUser(payload.userId);
          const hold = holdUnlessHolder(card, found, (await deps.identifierAttribute?.()) ?? null);
          if (hold !== null) {
            const held = await deps.store.queue.hold(
              item.id,
              hold,
              NEEDS_CONFIRMATION,
              entry({
                kind: 'held-for-confirmation',
                agent,
                card: card.journal,
                user: { id: found.id, upn: found.userPrincipalName },
                details: { op: payload.op, idempotencyKey: item.idempotencyKey, ...hold },
              }),
            );
            deps.onNeedsAgent?.(held);
            return { kind: 'held', hold };
          }
          userRef = found.id;
        }
        result = await executeWrite(ctx, card, userRef, payload.isRenewal);
      } else {
        result = await executeRemove(ctx, payload.userId, {
          card,
          values: payload.values,
          reason: payload.reason ?? 'other',
        });
      }
      const confirmedOnReplay = landedEarlier(result, payload, planned, claimed.sentAt);
      if (confirmedOnReplay) {
        result = { ...result, status: payload.op === 'write' ? 'written' : 'removed' };
      }
      const kind = mode === 'replay' ? 'replayed' : payload.op === 'write' ? 'mapping-written' : 'mapping-removed';
      // The result entries and `done` commit together: never a result without done, nor done without its result.
      const resultEntry = entry({
        kind,
        agent,
        card: card?.journal,
        user: { id: result.user.id, upn: result.user.userPrincipalName },
        details: {
          op: payload.op,
          ...resultJson(result),
          idempotencyKey: item.idempotencyKey,
          requestedBy: payload.requestedBy,
          ...(payload.reason === undefined ? {} : { reason: payload.reason }),
          altSecurityIdentities: result.altSecurityIdentities,
          serialHex: card?.info.serialHex ?? null,
          ...(confirmedOnReplay ? { confirmedOnReplay: true } : {}),
        },
      });
      const groupEntry =
        result.addedToGroup === true && result.groupId !== null
          ? [
              entry({
                kind: 'group-added',
                agent,
                card: card?.journal,
                user: { id: result.user.id, upn: result.user.userPrincipalName },
                details: { groupId: result.groupId },
              }),
            ]
          : [];
      const done = await deps.store.queue.completeJournaled(item.id, resultJson(result), [resultEntry, ...groupEntry]);
      return { kind: 'done', result, journalSeq: done.entries[0]?.seq ?? null, confirmedOnReplay };
    } catch (error) {
      const appError = error instanceof AppError ? error : new AppError('internal', { cause: error });
      const transient = isTransient(error) || appError.code.startsWith('identity.');
      const details: JournalDetails = {
        op: payload.op,
        error: errorText(error),
        idempotencyKey: item.idempotencyKey,
        attempts: claimed.attempts,
      };
      const common = { agent, card: card?.journal, user };
      if (transient) {
        const retryAt = new Date(deps.now() + deps.retryDelayMs(claimed.attempts));
        await deps.store.queue.fail(
          item.id,
          errorText(error),
          retryAt,
          entry({ ...common, kind: mode === 'replay' ? 'replay-failed' : 'queued', details }),
        );
        return { kind: 'queued', error: appError };
      }
      const failed = await deps.store.queue.fail(
        item.id,
        errorText(error),
        null,
        entry({ ...common, kind: mode === 'replay' ? 'replay-abandoned' : 'enrollment-failed', details }),
      );
      if (mode === 'replay') {
        deps.onNeedsAgent?.(failed);
      }
      if (!(error instanceof AppError)) {
        deps.logger.error('enrollment step failed', { error: String(error) });
      }
      throw appError;
    }
  }
  return { run };
}
