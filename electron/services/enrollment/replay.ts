/**
 * Replays the durable queue in order when Graph answers again: on demand, after any successful call, and on a
 * backoff timer while items are pending. One replay at a time; an item that still cannot reach Graph stops the
 * run so later items never overtake it.
 */
import type { EnrollmentOutcome, QueueStateView } from '../../../shared/contract/enrollment';
import { AppError } from '../../../shared/errors';
import type { Logger } from '../../../shared/logging';
import type { GraphService } from '../graph';
import type { QueueItem, StoreService } from '../store';
import { entry } from './journal';
import type { Agent } from './journal';
import { holdOf, toItemView } from './replay-view';
import type { RunOutcome } from './runner';
import { stepPayloadSchema } from './runner';
import type { createRunner } from './runner';

/** Dependencies of the replayer. */
export type ReplayerDeps = {
  store: Pick<StoreService, 'queue'>;
  session: () => Promise<{ graph: GraphService; agent: Agent }>;
  runner: ReturnType<typeof createRunner>;
  withUserLock: <T>(userId: string, fn: () => Promise<T>) => Promise<T>;
  logger: Logger;
  retryDelayMs: (attempt: number) => number;
  autoReplay: boolean;
  /** A cheap Graph read telling whether the network is back, tried before replaying after a failure. */
  probe: (session: { graph: GraphService; agent: Agent }) => Promise<void>;
  onQueueChanged?: (state: QueueStateView) => void;
  onCompleted?: (outcome: EnrollmentOutcome) => void;
};

/** Most items one replay run processes (bounded loop; the timer picks up the rest). */
const MAX_ITEMS_PER_RUN = 500;

/** Create the replayer. */
export function createReplayer(deps: ReplayerDeps) {
  let online = true;
  let failures = 0;
  let running: Promise<QueueStateView> | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerDue = Number.POSITIVE_INFINITY;
  let closed = false;

  // Refused and held items stay listed until the agent retries, confirms or dismisses them: nothing vanishes.
  const view = async (): Promise<QueueStateView> => {
    const items = await deps.store.queue.open(200);
    return { items: items.map(toItemView), isOnline: online };
  };

  const emit = async (): Promise<void> => {
    if (deps.onQueueChanged !== undefined) {
      deps.onQueueChanged(await view());
    }
  };

  const schedule = (delayMs: number): void => {
    if (!deps.autoReplay || closed) {
      return;
    }
    const due = Date.now() + delayMs;
    if (timer !== undefined && timerDue <= due) {
      return;
    }
    if (timer !== undefined) {
      clearTimeout(timer);
    }
    timerDue = due;
    timer = setTimeout(() => {
      timer = undefined;
      timerDue = Number.POSITIVE_INFINITY;
      replay(true).catch((error: unknown) => {
        deps.logger.warn('automatic replay failed', { error: error instanceof AppError ? error.code : String(error) });
      });
    }, delayMs);
    timer.unref();
  };

  const failed = async (error: unknown): Promise<QueueStateView> => {
    online = false;
    failures += 1;
    const state = await view();
    if (state.items.length > 0) {
      schedule(deps.retryDelayMs(failures));
    }
    deps.onQueueChanged?.(state);
    deps.logger.info('replay deferred', { error: error instanceof AppError ? error.code : String(error) });
    return state;
  };

  /** One replay run; `probe` (timer runs after a failure) checks reachability with one cheap read first. */
  const runOnce = async (probe: boolean): Promise<QueueStateView> => {
    let session: { graph: GraphService; agent: Agent };
    try {
      // Not signed in yet, or the token cannot be refreshed offline: try again later, with backoff.
      session = await deps.session();
      if (probe && !online) {
        await deps.probe(session);
      }
    } catch (error) {
      return failed(error);
    }
    const items = await deps.store.queue.pending(MAX_ITEMS_PER_RUN);
    let blocked = false;
    for (const item of items) {
      const payload = stepPayloadSchema.safeParse(item.payload);
      if (!payload.success || payload.data.tenantId !== session.agent.tenantId) {
        // Another tenant's step waits for an agent of that tenant.
        continue;
      }
      let outcome: RunOutcome;
      try {
        outcome = await deps.withUserLock(payload.data.userId, () => deps.runner.run(item, session, 'replay'));
      } catch (error) {
        // Refused for good (conflict, limit, user gone): journalled as abandoned, kept in the panel and announced
        // (the runner tells the desk); the queue moves on.
        deps.logger.warn('queued step abandoned', { error: error instanceof AppError ? error.code : String(error) });
        continue;
      }
      if (outcome.kind === 'queued') {
        blocked = true;
        break;
      }
      if (outcome.kind === 'done') {
        const r = outcome.result;
        deps.onCompleted?.({
          status: r.status,
          userId: r.user.id,
          userPrincipalName: r.user.userPrincipalName ?? r.user.id,
          certificateUserIds: r.certificateUserIds,
          isGroupMember: r.addedToGroup !== null,
          journalSeq: outcome.journalSeq,
        });
      }
    }
    online = !blocked;
    failures = blocked ? failures + 1 : 0;
    const state = await view();
    if (state.items.length > 0) {
      schedule(blocked ? deps.retryDelayMs(failures) : 0);
    }
    deps.onQueueChanged?.(state);
    return state;
  };

  /** Replay now; an explicit call (the agent, a test) skips the probe: its first item is the probe. */
  const replay = (probe = false): Promise<QueueStateView> => {
    running ??= runOnce(probe).finally(() => {
      running = null;
    });
    return running;
  };

  const markOnline = (): void => {
    online = true;
    failures = 0;
    void (async () => {
      const counts = await deps.store.queue.counts();
      if (counts.pending > 0) {
        schedule(0);
      }
    })().catch(() => undefined);
  };

  const markOffline = (): void => {
    online = false;
    failures += 1;
    schedule(deps.retryDelayMs(failures));
  };

  /** Journal an agent's action on an item and apply it in the same transaction; then refresh the panel. */
  const act = async (
    id: number,
    kind: 'queue-retried' | 'queue-dismissed' | 'queue-confirmed',
    apply: (journal: ReturnType<typeof entry>, item: QueueItem) => Promise<unknown>,
  ): Promise<QueueStateView> => {
    const item = await deps.store.queue.get(id);
    if (item === undefined) {
      throw new AppError('store.not-found', { details: { id } });
    }
    const { agent } = await deps.session();
    const payload = stepPayloadSchema.safeParse(item.payload);
    const user = payload.success ? { id: payload.data.userId, upn: payload.data.userPrincipalName } : undefined;
    const journal = entry({
      kind,
      agent,
      user,
      details: {
        op: payload.success ? payload.data.op : null,
        idempotencyKey: item.idempotencyKey,
        previousState: item.state,
        lastError: item.lastError,
      },
    });
    await apply(journal, item);
    const state = await view();
    deps.onQueueChanged?.(state);
    return state;
  };

  return {
    view,
    replay,
    /** A refused item goes back to pending (journaled) and the queue replays now. */
    async retry(id: number): Promise<QueueStateView> {
      await act(id, 'queue-retried', (journal) => deps.store.queue.retry(id, journal));
      return replay();
    },
    /** Take a refused, held or pending item out of the queue for good (journaled; the row stays for the record). */
    dismiss(id: number): Promise<QueueStateView> {
      return act(id, 'queue-dismissed', (journal) => deps.store.queue.dismiss(id, journal));
    },
    /** The agent confirms the account a held step found (its object id must be the one shown); replay now. */
    async confirm(id: number, userId: string): Promise<QueueStateView> {
      await act(id, 'queue-confirmed', async (journal, item) => {
        const hold = holdOf(item);
        if (item.state !== 'needs-confirmation' || hold?.userId !== userId) {
          throw new AppError('enrollment.confirmation-mismatch', {
            details: { id, state: item.state, heldUserId: hold?.userId ?? null },
          });
        }
        await deps.store.queue.confirm(id, userId, {
          ...journal,
          user: { id: hold.userId, upn: hold.userPrincipalName },
          details: { ...journal.details, confirmedUserId: userId },
        });
      });
      return replay();
    },
    /** After a start (or restart) with pending items: replay them without waiting for the agent. */
    async start(): Promise<void> {
      const counts = await deps.store.queue.counts();
      if (counts.pending + counts['in-flight'] > 0) {
        schedule(0);
      }
    },
    markOnline,
    markOffline,
    /** Track reachability from a direct step and tell the UI the queue may have changed. */
    afterStep(outcome: RunOutcome): void {
      if (outcome.kind === 'done') {
        markOnline();
      } else if (outcome.kind === 'queued') {
        markOffline();
      }
      emit().catch(() => undefined);
    },
    close(): void {
      closed = true;
      if (timer !== undefined) {
        clearTimeout(timer);
      }
    },
  };
}
