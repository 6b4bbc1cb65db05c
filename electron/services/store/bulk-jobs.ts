/**
 * Durable state of bulk enrollment jobs: one row per job and one per CSV line (or certificate file), each line
 * `pending` → `writing` → `done` with its result. A line's completion and its journal entry commit in the same
 * transaction, so after a crash a line is either done and journalled, or still to do (and re-checked before any write).
 */
import { z } from 'zod';
import { canonicalJson } from './canonical-json';
import type { JsonValue } from './canonical-json';
import type { ReadableDb, WritableDb } from './db';
import { storeError } from './errors';
import { appendEntry } from './journal';
import type { JournalEntryInput } from './journal-entry';
import { prepared } from './statements';

/**
 * Tables of the bulk jobs, created if missing when the store opens.
 *
 * Why not a numbered migration: the tables hold only resumable work of this feature (no other table refers to them,
 * dropping them loses at most an unfinished import), and `IF NOT EXISTS` keeps the schema version — and every
 * reader that checks it — unchanged. Promote to a numbered migration when the schema next needs a version bump.
 */
export function ensureBulkJobsSchema(db: WritableDb): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS bulk_jobs (
      id TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 100),
      state TEXT NOT NULL CHECK (state IN ('running', 'paused', 'finished', 'discarded')),
      label TEXT NOT NULL,
      agent TEXT NOT NULL,
      pause_json TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE IF NOT EXISTS bulk_job_rows (
      job_id TEXT NOT NULL REFERENCES bulk_jobs (id),
      idx INTEGER NOT NULL CHECK (idx >= 0),
      input_json TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('pending', 'writing', 'done')),
      result_json TEXT,
      PRIMARY KEY (job_id, idx)
    ) STRICT;

    CREATE INDEX IF NOT EXISTS bulk_job_rows_by_state ON bulk_job_rows (job_id, state, idx);
  `);
}

/** Lifecycle of a job: `paused` covers cancel, offline and interruption, all resumable. */
export type BulkJobState = 'running' | 'paused' | 'finished' | 'discarded';
/** Lifecycle of one line. */
export type BulkJobRowState = 'pending' | 'writing' | 'done';

/** A job as stored. */
export type BulkJob = {
  id: string;
  state: BulkJobState;
  label: string;
  agent: string;
  pause: JsonValue | null;
  createdAt: string;
  updatedAt: string;
};

/** A line as stored: its input (what to write) and, once done, its result. */
export type BulkJobRow = {
  idx: number;
  input: JsonValue;
  state: BulkJobRowState;
  result: JsonValue | null;
};

/** Count of lines per state. */
export type BulkJobCounts = Record<BulkJobRowState, number>;

/** Durable bulk jobs. */
export type BulkJobsPort = {
  /** Create a job and all its lines in one transaction (`running`). */
  create(job: { id: string; label: string; agent: string }, inputs: readonly JsonValue[]): Promise<BulkJob>;
  get(id: string): Promise<BulkJob | undefined>;
  /** The newest job that is running or paused (a `running` one found at startup was interrupted). */
  latestUnfinished(): Promise<BulkJob | undefined>;
  /** Lines in index order (only those not done with `unfinished`), at most `limit` (default 100,000). */
  rows(id: string, options?: { unfinished?: boolean; limit?: number }): Promise<BulkJobRow[]>;
  counts(id: string): Promise<BulkJobCounts>;
  /** pending → writing, just before sending their writes (a restart then knows a write may have happened). */
  markWriting(id: string, idxs: readonly number[]): Promise<void>;
  /** Lines → done with their results, and their journal entries, in one transaction. */
  complete(
    id: string,
    results: readonly { idx: number; result: JsonValue }[],
    journal: readonly JournalEntryInput[],
  ): Promise<void>;
  setState(id: string, state: BulkJobState, pause: JsonValue | null): Promise<BulkJob>;
};

type JobRow = {
  id: string;
  state: string;
  label: string;
  agent: string;
  pauseJson: string | null;
  createdAt: string;
  updatedAt: string;
};
type LineRow = { idx: number; inputJson: string; state: string; resultJson: string | null };

const JOB_COLUMNS =
  'id, state, label, agent, pause_json AS pauseJson, created_at AS createdAt, updated_at AS updatedAt';
const INSERT_JOB = `INSERT INTO bulk_jobs (id, state, label, agent, pause_json, created_at, updated_at)
  VALUES (?, 'running', ?, ?, NULL, ?, ?)`;
const INSERT_ROW = `INSERT INTO bulk_job_rows (job_id, idx, input_json, state, result_json) VALUES (?, ?, ?, 'pending', NULL)`;
const JOB_BY_ID = `SELECT ${JOB_COLUMNS} FROM bulk_jobs WHERE id = ?`;
const LATEST_UNFINISHED = `SELECT ${JOB_COLUMNS} FROM bulk_jobs WHERE state IN ('running', 'paused')
  ORDER BY created_at DESC, rowid DESC LIMIT 1`;
const ROWS_ALL = `SELECT idx, input_json AS inputJson, state, result_json AS resultJson FROM bulk_job_rows
  WHERE job_id = ? ORDER BY idx LIMIT ?`;
const ROWS_UNFINISHED = `SELECT idx, input_json AS inputJson, state, result_json AS resultJson FROM bulk_job_rows
  WHERE job_id = ? AND state IN ('pending', 'writing') ORDER BY idx LIMIT ?`;
const COUNTS = 'SELECT state, count(*) AS n FROM bulk_job_rows WHERE job_id = ? GROUP BY state';
const MARK_WRITING = `UPDATE bulk_job_rows SET state = 'writing' WHERE job_id = ? AND idx = ? AND state = 'pending'`;
const COMPLETE_ROW = `UPDATE bulk_job_rows SET state = 'done', result_json = ? WHERE job_id = ? AND idx = ?
  AND state IN ('pending', 'writing')`;
const SET_STATE = 'UPDATE bulk_jobs SET state = ?, pause_json = ?, updated_at = ? WHERE id = ?';

const jobStateSchema = z.enum(['running', 'paused', 'finished', 'discarded']);
const rowStateSchema = z.enum(['pending', 'writing', 'done']);
const MAX_ROWS = 100_000;

function toJob(row: JobRow): BulkJob {
  try {
    return {
      id: row.id,
      state: jobStateSchema.parse(row.state),
      label: row.label,
      agent: row.agent,
      pause: row.pauseJson === null ? null : z.json().parse(JSON.parse(row.pauseJson)),
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  } catch (error) {
    throw storeError('store.corrupt', { table: 'bulk_jobs', id: row.id }, error);
  }
}

function toLine(row: LineRow): BulkJobRow {
  try {
    return {
      idx: row.idx,
      input: z.json().parse(JSON.parse(row.inputJson)),
      state: rowStateSchema.parse(row.state),
      result: row.resultJson === null ? null : z.json().parse(JSON.parse(row.resultJson)),
    };
  } catch (error) {
    throw storeError('store.corrupt', { table: 'bulk_job_rows', idx: row.idx }, error);
  }
}

function getJob(db: ReadableDb, id: string): BulkJob | undefined {
  const row = prepared<[string], JobRow>(db, JOB_BY_ID).get(id);
  return row === undefined ? undefined : toJob(row);
}

function requireJob(db: ReadableDb, id: string): BulkJob {
  const job = getJob(db, id);
  if (job === undefined) {
    throw storeError('store.not-found', { table: 'bulk_jobs', id });
  }
  return job;
}

/**
 * Bulk job operations over the store's connection; `write` and `read` are the store's transaction helpers so the
 * same locking, error classification and clock apply.
 */
export function createBulkJobs(deps: {
  db: WritableDb;
  write: <T>(operation: string, fn: () => T) => Promise<T>;
  read: <T>(operation: string, fn: () => T) => Promise<T>;
  nowMs: () => number;
}): BulkJobsPort {
  const { db } = deps;
  const nowIso = () => new Date(deps.nowMs()).toISOString();
  return {
    create: (job, inputs) =>
      deps.write('bulkJobs.create', () => {
        if (inputs.length > MAX_ROWS) {
          throw storeError('store.invalid-entry', { reason: 'too-many-rows', rows: inputs.length });
        }
        const at = nowIso();
        prepared<[string, string, string, string, string]>(db, INSERT_JOB).run(job.id, job.label, job.agent, at, at);
        const insert = prepared<[string, number, string]>(db, INSERT_ROW);
        inputs.forEach((input, idx) => insert.run(job.id, idx, canonicalJson(input)));
        return requireJob(db, job.id);
      }),
    get: (id) => deps.read('bulkJobs.get', () => getJob(db, id)),
    latestUnfinished: () =>
      deps.read('bulkJobs.latest', () => {
        const row = prepared<[], JobRow>(db, LATEST_UNFINISHED).get();
        return row === undefined ? undefined : toJob(row);
      }),
    rows: (id, options = {}) =>
      deps.read('bulkJobs.rows', () => {
        const limit = Math.min(Math.max(options.limit ?? MAX_ROWS, 1), MAX_ROWS);
        const sql = options.unfinished === true ? ROWS_UNFINISHED : ROWS_ALL;
        return prepared<[string, number], LineRow>(db, sql).all(id, limit).map(toLine);
      }),
    counts: (id) =>
      deps.read('bulkJobs.counts', () => {
        const counts: BulkJobCounts = { pending: 0, writing: 0, done: 0 };
        for (const { state, n } of prepared<[string], { state: BulkJobRowState; n: number }>(db, COUNTS).all(id)) {
          counts[state] = n;
        }
        return counts;
      }),
    markWriting: (id, idxs) =>
      deps.write('bulkJobs.mark-writing', () => {
        const update = prepared<[string, number]>(db, MARK_WRITING);
        for (const idx of idxs) {
          update.run(id, idx);
        }
      }),
    complete: (id, results, journal) =>
      deps.write('bulkJobs.complete', () => {
        const update = prepared<[string, string, number]>(db, COMPLETE_ROW);
        for (const { idx, result } of results) {
          if (update.run(canonicalJson(result), id, idx).changes === 0) {
            // Already done (a second runner, or a replayed chunk): never overwrite nor journal twice.
            throw storeError('store.invalid-transition', { table: 'bulk_job_rows', id, idx, to: 'done' });
          }
        }
        for (const entry of journal) {
          appendEntry(db, entry, deps.nowMs());
        }
      }),
    setState: (id, state, pause) =>
      deps.write('bulkJobs.set-state', () => {
        requireJob(db, id);
        prepared<[string, string | null, string, string]>(db, SET_STATE).run(
          state,
          pause === null ? null : canonicalJson(pause),
          nowIso(),
          id,
        );
        return requireJob(db, id);
      }),
  };
}
