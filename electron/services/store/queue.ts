import { z } from 'zod';
import { canonicalJson } from './canonical-json';
import type { JsonValue } from './canonical-json';
import type { ReadableDb, WritableDb } from './db';
import { storeError } from './errors';
import { prepared } from './statements';

/** Graph writes the queue can hold. */
export const queueKindSchema = z.enum(['write-mapping', 'remove-mapping']);
/** Kind of a queued write. */
export type QueueKind = z.infer<typeof queueKindSchema>;
/** Lifecycle state of a queued write. */
export type QueueState = 'pending' | 'in-flight' | 'done' | 'failed-permanent' | 'needs-confirmation' | 'dismissed';

/** States still shown to the agent (not finished, not dismissed). */
export const OPEN_STATES: readonly QueueState[] = ['pending', 'in-flight', 'needs-confirmation', 'failed-permanent'];

/** Input of `enqueue`: the key makes a replayed or repeated request a no-op. */
export const enqueueInputSchema = z.strictObject({
  idempotencyKey: z.string().min(1).max(200),
  kind: queueKindSchema,
  payload: z.record(z.string().max(128), z.json()),
});
/** Input of `enqueue`. */
export type EnqueueInput = z.infer<typeof enqueueInputSchema>;

/** A queued write as read back. */
export type QueueItem = {
  id: number;
  idempotencyKey: string;
  kind: QueueKind;
  payload: Record<string, JsonValue>;
  state: QueueState;
  attempts: number;
  notBefore: string | null;
  lastError: string | null;
  result: JsonValue | null;
  createdAt: string;
  updatedAt: string;
  /** Why the item waits for the agent (`needs-confirmation`), as stored by `hold`. */
  hold: JsonValue | null;
  /** Object id the agent confirmed for a held item (the step then writes exactly there). */
  confirmedUserId: string | null;
  /** When a Graph write of this item may have been sent (set before the request leaves). */
  sentAt: string | null;
};

type Row = {
  id: number;
  idempotencyKey: string;
  kind: string;
  payloadJson: string;
  state: string;
  attempts: number;
  notBefore: string | null;
  lastError: string | null;
  resultJson: string | null;
  createdAt: string;
  updatedAt: string;
  holdJson: string | null;
  confirmedUserId: string | null;
  sentAt: string | null;
};

const COLUMNS = `id, idempotency_key AS idempotencyKey, kind, payload_json AS payloadJson, state, attempts,
  not_before AS notBefore, last_error AS lastError, result_json AS resultJson, created_at AS createdAt,
  updated_at AS updatedAt, hold_json AS holdJson, confirmed_user_id AS confirmedUserId, sent_at AS sentAt`;
const INSERT = `INSERT INTO offline_queue (idempotency_key, kind, payload_json, state, attempts, created_at, updated_at)
  VALUES (?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`;
const BY_KEY = `SELECT ${COLUMNS} FROM offline_queue WHERE idempotency_key = ?`;
const BY_ID = `SELECT ${COLUMNS} FROM offline_queue WHERE id = ?`;
const PENDING = `SELECT ${COLUMNS} FROM offline_queue WHERE state = 'pending' ORDER BY id LIMIT ?`;
const DUE = `SELECT ${COLUMNS} FROM offline_queue
  WHERE state = 'pending' AND (not_before IS NULL OR not_before <= ?) ORDER BY id LIMIT ?`;
const BY_STATE_COUNT = 'SELECT state, count(*) AS n FROM offline_queue GROUP BY state';
const CLAIM = `UPDATE offline_queue SET state = 'in-flight', attempts = attempts + 1, updated_at = ?
  WHERE id = ? AND state = 'pending'`;
const COMPLETE = `UPDATE offline_queue SET state = 'done', result_json = ?, last_error = NULL, not_before = NULL,
  updated_at = ? WHERE id = ? AND state = 'in-flight'`;
const RETRY = `UPDATE offline_queue SET state = 'pending', last_error = ?, not_before = ?, updated_at = ?
  WHERE id = ? AND state = 'in-flight'`;
const GIVE_UP = `UPDATE offline_queue SET state = 'failed-permanent', last_error = ?, not_before = NULL, updated_at = ?
  WHERE id = ? AND state = 'in-flight'`;
const OPEN = `SELECT ${COLUMNS} FROM offline_queue
  WHERE state IN ('pending', 'in-flight', 'needs-confirmation', 'failed-permanent') ORDER BY id LIMIT ?`;
const HOLD = `UPDATE offline_queue SET state = 'needs-confirmation', hold_json = ?, last_error = ?, not_before = NULL,
  updated_at = ? WHERE id = ? AND state = 'in-flight'`;
const CONFIRM = `UPDATE offline_queue SET state = 'pending', confirmed_user_id = ?, hold_json = NULL, last_error = NULL,
  not_before = NULL, updated_at = ? WHERE id = ? AND state = 'needs-confirmation'`;
const RETRY_FAILED = `UPDATE offline_queue SET state = 'pending', not_before = NULL, updated_at = ?
  WHERE id = ? AND state = 'failed-permanent'`;
const DISMISS = `UPDATE offline_queue SET state = 'dismissed', not_before = NULL, updated_at = ?
  WHERE id = ? AND state IN ('pending', 'needs-confirmation', 'failed-permanent')`;
const MARK_SENT = `UPDATE offline_queue SET sent_at = ? WHERE id = ? AND state = 'in-flight'`;
const RECOVER = `UPDATE offline_queue SET state = 'pending', updated_at = ? WHERE state = 'in-flight'`;

// The CHECK constraints of migration 0002 guarantee these shapes; a mismatch means the file was edited by hand.
const rowSchema = z.object({
  kind: queueKindSchema,
  state: z.enum(['pending', 'in-flight', 'done', 'failed-permanent', 'needs-confirmation', 'dismissed']),
});

function toItem(row: Row): QueueItem {
  try {
    const { kind, state } = rowSchema.parse(row);
    return {
      id: row.id,
      idempotencyKey: row.idempotencyKey,
      kind,
      state,
      payload: z.record(z.string(), z.json()).parse(JSON.parse(row.payloadJson)),
      attempts: row.attempts,
      notBefore: row.notBefore,
      lastError: row.lastError,
      result: row.resultJson === null ? null : z.json().parse(JSON.parse(row.resultJson)),
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      hold: row.holdJson === null ? null : z.json().parse(JSON.parse(row.holdJson)),
      confirmedUserId: row.confirmedUserId,
      sentAt: row.sentAt,
    };
  } catch (error) {
    throw storeError('store.corrupt', { table: 'offline_queue', id: row.id }, error);
  }
}

/** Read one item by id, or undefined. */
export function getItem(db: ReadableDb, id: number): QueueItem | undefined {
  const row = prepared<[number], Row>(db, BY_ID).get(id);
  return row === undefined ? undefined : toItem(row);
}

/** Read one item by idempotency key, or undefined. */
export function getItemByKey(db: ReadableDb, key: string): QueueItem | undefined {
  const row = prepared<[string], Row>(db, BY_KEY).get(key);
  return row === undefined ? undefined : toItem(row);
}

/**
 * Insert a write unless its key is known; returns the stored item and whether this call created it.
 *
 * Same key with the same kind and payload: a no-op returning the existing item. Same key with a different request is
 * a caller bug that must not be silently merged: `store.duplicate`.
 */
export function insertItem(db: WritableDb, input: EnqueueInput, nowIso: string): { item: QueueItem; created: boolean } {
  const payloadJson = canonicalJson(input.payload);
  const info = prepared<[string, string, string, string, string]>(db, INSERT).run(
    input.idempotencyKey,
    input.kind,
    payloadJson,
    nowIso,
    nowIso,
  );
  const row = prepared<[string], Row>(db, BY_KEY).get(input.idempotencyKey);
  if (row === undefined) {
    throw storeError('store.corrupt', { reason: 'queue row vanished', idempotencyKey: input.idempotencyKey });
  }
  if (info.changes === 0 && (row.kind !== input.kind || row.payloadJson !== payloadJson)) {
    throw storeError('store.duplicate', { idempotencyKey: input.idempotencyKey, existingId: row.id });
  }
  return { item: toItem(row), created: info.changes > 0 };
}

/** Pending items in FIFO order (by insertion), at most `limit`. */
export function listPending(db: ReadableDb, limit = 1000): QueueItem[] {
  return prepared<[number], Row>(db, PENDING)
    .all(Math.min(Math.max(limit, 1), 100_000))
    .map(toItem);
}

/**
 * Pending items whose retry time has come (`not_before` unset or not after `nowIso`), oldest first.
 *
 * Times are stored as `toISOString()` (UTC, fixed width), so text comparison is chronological.
 */
export function listDue(db: ReadableDb, nowIso: string, limit = 1000): QueueItem[] {
  return prepared<[string, number], Row>(db, DUE)
    .all(nowIso, Math.min(Math.max(limit, 1), 100_000))
    .map(toItem);
}

/** Count of items per state. */
export function countByState(db: ReadableDb): Record<QueueState, number> {
  const counts: Record<QueueState, number> = {
    pending: 0,
    'in-flight': 0,
    done: 0,
    'failed-permanent': 0,
    'needs-confirmation': 0,
    dismissed: 0,
  };
  for (const { state, n } of prepared<[], { state: QueueState; n: number }>(db, BY_STATE_COUNT).all()) {
    counts[state] = n;
  }
  return counts;
}

/** pending → in-flight (attempts + 1); undefined when the item is not pending (someone else took it, or done). */
export function claimItem(db: WritableDb, id: number, nowIso: string): QueueItem | undefined {
  const info = prepared<[string, number]>(db, CLAIM).run(nowIso, id);
  return info.changes === 0 ? undefined : getItem(db, id);
}

function requireTransition(db: WritableDb, id: number, changes: number, to: QueueState): QueueItem {
  const item = getItem(db, id);
  if (item === undefined) {
    throw storeError('store.not-found', { id });
  }
  if (changes === 0) {
    throw storeError('store.invalid-transition', { id, from: item.state, to });
  }
  return item;
}

/** in-flight → done, keeping the result. */
export function completeItem(db: WritableDb, id: number, result: JsonValue, nowIso: string): QueueItem {
  const info = prepared<[string, string, number]>(db, COMPLETE).run(canonicalJson(result), nowIso, id);
  return requireTransition(db, id, info.changes, 'done');
}

/** in-flight → pending (retry not before `retryAt`) or, when `retryAt` is null, → failed-permanent. */
export function failItem(db: WritableDb, id: number, error: string, retryAt: string | null, nowIso: string): QueueItem {
  const message = error.slice(0, 2000);
  if (retryAt === null) {
    const info = prepared<[string, string, number]>(db, GIVE_UP).run(message, nowIso, id);
    return requireTransition(db, id, info.changes, 'failed-permanent');
  }
  const info = prepared<[string, string, string, number]>(db, RETRY).run(message, retryAt, nowIso, id);
  return requireTransition(db, id, info.changes, 'pending');
}

/** Startup recovery: whatever was in flight when the process died goes back to pending; returns how many. */
export function recoverInFlight(db: WritableDb, nowIso: string): number {
  return prepared<[string]>(db, RECOVER).run(nowIso).changes;
}

/** Items the agent still sees (pending, in flight, held, refused), oldest first. */
export function listOpen(db: ReadableDb, limit = 200): QueueItem[] {
  return prepared<[number], Row>(db, OPEN)
    .all(Math.min(Math.max(limit, 1), 100_000))
    .map(toItem);
}

/** in-flight → needs-confirmation, keeping why (shown to the agent) and a short code as last error. */
export function holdItem(db: WritableDb, id: number, hold: JsonValue, code: string, nowIso: string): QueueItem {
  const info = prepared<[string, string, string, number]>(db, HOLD).run(canonicalJson(hold), code, nowIso, id);
  return requireTransition(db, id, info.changes, 'needs-confirmation');
}

/** needs-confirmation → pending, bound to the object id the agent confirmed. */
export function confirmItem(db: WritableDb, id: number, userId: string, nowIso: string): QueueItem {
  const info = prepared<[string, string, number]>(db, CONFIRM).run(userId, nowIso, id);
  return requireTransition(db, id, info.changes, 'pending');
}

/** failed-permanent → pending (the agent asked to try again; the last error stays until the next attempt). */
export function retryItem(db: WritableDb, id: number, nowIso: string): QueueItem {
  const info = prepared<[string, number]>(db, RETRY_FAILED).run(nowIso, id);
  return requireTransition(db, id, info.changes, 'pending');
}

/** pending, needs-confirmation or failed-permanent → dismissed (never an in-flight item: it may be sending). */
export function dismissItem(db: WritableDb, id: number, nowIso: string): QueueItem {
  const info = prepared<[string, number]>(db, DISMISS).run(nowIso, id);
  return requireTransition(db, id, info.changes, 'dismissed');
}

/** Note that a write of this in-flight item may leave the machine (committed before the request is sent). */
export function markItemSent(db: WritableDb, id: number, nowIso: string): QueueItem {
  const info = prepared<[string, number]>(db, MARK_SENT).run(nowIso, id);
  return requireTransition(db, id, info.changes, 'in-flight');
}
