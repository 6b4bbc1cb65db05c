/**
 * Runs queued enrollment steps: every apply and removal is first written to the durable queue (write-ahead), then
 * claimed, executed from a fresh GET and completed. A crash at any point leaves the item pending (the store puts
 * in-flight items back on open); running it again finds the work done (`unchanged`) instead of repeating it.
 */
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import type { Logger } from '../../../shared/logging';
import type { QueueItem, StoreService } from '../store';
import { resolveDer } from './card';
import type { ResolvedCard } from './card';
import { createDirectory } from './directory';
import { isTransient } from './errors';
import { executeWrite } from './execute';
import { executeRemove } from './remove';
import type { StepContext, StepResult } from './execute';
import { entry } from './journal';
import type { Agent, JournalDetails } from './journal';
import type { GraphService } from '../graph';
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
  | { kind: 'done'; result: StepResult; journalSeq: number | null }
  | { kind: 'queued'; error: AppError }
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
    const claimed = await deps.store.queue.claim(item.id);
    if (claimed === undefined) {
      return { kind: 'skipped' };
    }
    let card: ResolvedCard | undefined;
    const user = { id: payload.userId, upn: payload.userPrincipalName };
    try {
      card =
        payload.derBase64 === undefined
          ? undefined
          : await resolveDer(new Uint8Array(Buffer.from(payload.derBase64, 'base64')));
      const ctx: StepContext = {
        directory: createDirectory(session.graph),
        configuredGroupId: await deps.configuredGroupId(),
        ...(deps.limits === undefined ? {} : { limits: deps.limits }),
        ...(deps.settleMs === undefined ? {} : { settleMs: deps.settleMs }),
      };
      let result: StepResult;
      if (payload.op === 'write') {
        if (card === undefined) {
          throw new AppError('enrollment.invalid-certificate', { details: { reason: 'missing' } });
        }
        result = await executeWrite(ctx, card, payload.userId, payload.isRenewal);
      } else {
        result = await executeRemove(ctx, payload.userId, {
          card,
          values: payload.values,
          reason: payload.reason ?? 'other',
        });
      }
      const kind = mode === 'replay' ? 'replayed' : payload.op === 'write' ? 'mapping-written' : 'mapping-removed';
      // Journal first, then complete: a crash in between replays the step, which finds it done and says so.
      const written = await deps.store.journal.append(
        entry({
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
          },
        }),
      );
      if (result.addedToGroup === true && result.groupId !== null) {
        await deps.store.journal.append(
          entry({
            kind: 'group-added',
            agent,
            card: card?.journal,
            user: { id: result.user.id, upn: result.user.userPrincipalName },
            details: { groupId: result.groupId },
          }),
        );
      }
      await deps.store.queue.complete(item.id, resultJson(result));
      return { kind: 'done', result, journalSeq: written.seq };
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
      await deps.store.queue.fail(
        item.id,
        errorText(error),
        null,
        entry({ ...common, kind: mode === 'replay' ? 'replay-abandoned' : 'enrollment-failed', details }),
      );
      if (!(error instanceof AppError)) {
        deps.logger.error('enrollment step failed', { error: String(error) });
      }
      throw appError;
    }
  }
  return { run };
}
