/**
 * Durable bulk jobs: the previewed rows are stored, then applied chunk by chunk; each chunk's results and journal
 * entries commit together. Cancel, a network outage or any chunk failure pauses the job (every processed row kept);
 * resume — in this run or after a restart — continues with the rows not done, re-reading each user before writing,
 * so nothing is written twice.
 */
import { z } from 'zod';
import type { BulkJob as BulkJobView, BulkResultRow, BulkResults } from '../../../shared/contract/bulk';
import type { ContractError } from '../../../shared/contract/envelope';
import { writeBulkJobResultsCsv } from '../../../shared/enrollment/bulk-results';
import { countOutcomes, isApplicable } from '../../../shared/enrollment/bulk-status';
import { catalogs } from '../../../shared/i18n';
import type { BulkOutcome } from '../../../shared/enrollment/bulk-status';
import { AppError } from '../../../shared/errors';
import type { Logger } from '../../../shared/logging';
import type { BulkJob, BulkJobRow, BulkJobsPort, JournalEntryInput, JsonValue } from '../store';
import type { BulkSession } from './bulk';
import { applyChunk, BULK_CHUNK } from './bulk-chunk';
import type { ChunkRow } from './bulk-chunk';
import { nameConflictHolders } from './bulk-conflicts';
import { bulkJournalEntry } from './bulk-journal';
import { toContractError } from './bulk-preview';
import type { PreviewedRow } from './bulk-preview';
import { derFromBase64 } from './card';
import { resolveUsableDer } from './cert-status';
import { createDirectory } from './directory';
import { isOffline, isTransient } from './errors';

const errorSchema = z.object({
  code: z.string(),
  messageKey: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});

/** What is stored per row: enough to write it after a restart without the source files. */
const inputSchema = z.object({
  line: z.number().int(),
  source: z.string(),
  user: z.string(),
  userId: z.string().nullable(),
  userPrincipalName: z.string().nullable(),
  isRenewal: z.boolean(),
  derBase64: z.string().nullable(),
  /** Preview's reason not to write the row (it is then skipped). */
  skip: errorSchema.nullable(),
});
type RowInput = z.infer<typeof inputSchema>;

const resultSchema = z.object({
  status: z.enum(['written', 'unchanged', 'synced-user', 'failed', 'skipped']),
  userPrincipalName: z.string().nullable(),
  values: z.array(z.string()),
  altSecurityIdentities: z.array(z.string()),
  error: errorSchema.nullable(),
});
type RowResult = z.infer<typeof resultSchema>;

const pauseSchema = z.object({
  reason: z.enum(['cancelled', 'offline', 'error', 'interrupted']),
  error: errorSchema.nullable(),
});
type Pause = z.infer<typeof pauseSchema>;

/** Events a job sends. */
export type BulkJobEvents = {
  onProgress(job: BulkJobView): void;
  onStopped(results: BulkResults & { isCancelled: boolean; isPaused: boolean }): void;
};

/** Dependencies of the job runner. */
export type BulkJobRunnerDeps = {
  /** The job store (same database as the session's journal, so a chunk's results and journal entries commit together). */
  jobs: () => BulkJobsPort;
  /** The signed-in session (Graph, agent, journal, settings); throws when no agent is signed in. */
  session: () => Promise<BulkSession>;
  events: BulkJobEvents;
  logger: Logger;
  newId: () => string;
};

/** Plain JSON of a value (error details may hold anything JSON can carry; the rest is dropped). */
function json(value: unknown): JsonValue {
  const parsed = z.json().safeParse(JSON.parse(JSON.stringify(value ?? null)));
  return parsed.success ? parsed.data : null;
}

function toInput(p: PreviewedRow): RowInput {
  const { row } = p;
  const applicable = isApplicable(row.status) && p.der !== null && row.userId !== null;
  return {
    line: row.line,
    source: row.source,
    user: row.user,
    userId: row.userId,
    userPrincipalName: row.userPrincipalName,
    isRenewal: row.isRenewal,
    derBase64: applicable && p.der !== null ? Buffer.from(p.der).toString('base64') : null,
    skip: applicable
      ? null
      : (row.error ?? {
          code: 'bulk.not-applied',
          messageKey: 'errors.bulk.not-applied',
          details: { status: row.status },
        }),
  };
}

function parseLine(line: BulkJobRow): { input: RowInput; result: RowResult | null } {
  const input = inputSchema.safeParse(line.input);
  const result = line.result === null ? null : resultSchema.safeParse(line.result);
  if (!input.success || (result !== null && !result.success)) {
    throw new AppError('store.corrupt', { details: { table: 'bulk_job_rows', idx: line.idx } });
  }
  return { input: input.data, result: result?.data ?? null };
}

function resultRow(input: RowInput, result: RowResult | null): BulkResultRow {
  return {
    line: input.line,
    source: input.source,
    user: input.user,
    userPrincipalName: result?.userPrincipalName ?? input.userPrincipalName,
    status: result?.status ?? 'pending',
    values: result?.values ?? [],
    altSecurityIdentities: result?.altSecurityIdentities ?? [],
    error: result?.error ?? null,
  };
}

/** Create the job runner (one job runs at a time). */
export function createBulkJobRunner(deps: BulkJobRunnerDeps) {
  /** Every operation needs a signed-in agent, as the desk does (job reads too: a signed-out desk shows no job). */
  const withSession = async <T>(fn: (session: BulkSession, jobs: BulkJobsPort) => Promise<T>): Promise<T> => {
    const session = await deps.session();
    return fn(session, deps.jobs());
  };
  let running: { id: string; cancelled: boolean } | null = null;

  const view = async (jobs: BulkJobsPort, job: BulkJob): Promise<BulkJobView> => {
    const lines = (await jobs.rows(job.id)).map(parseLine);
    const outcomes: BulkOutcome[] = lines.map((l) => l.result?.status ?? 'pending');
    const counts = countOutcomes(outcomes);
    const pause = job.pause === null ? null : pauseSchema.safeParse(job.pause);
    // A job still marked running that no runner here holds was interrupted (crash, restart).
    const isOrphan = job.state === 'running' && running?.id !== job.id;
    return {
      jobId: job.id,
      state: isOrphan ? 'paused' : job.state,
      label: job.label,
      createdAt: job.createdAt,
      done: lines.length - counts.pending,
      total: lines.length,
      counts,
      pause: isOrphan ? { reason: 'interrupted', error: null } : pause?.success === true ? pause.data : null,
    };
  };

  const results = async (jobs: BulkJobsPort, id: string): Promise<BulkResults> => {
    const job = await jobs.get(id);
    if (job === undefined) {
      throw new AppError('bulk.job-not-found', { details: { jobId: id } });
    }
    const rows = (await jobs.rows(id)).map(parseLine).map(({ input, result }) => resultRow(input, result));
    // French, as the agents' Excel; the panel rebuilds it in the UI language from the same rows.
    const resultsCsv = writeBulkJobResultsCsv(rows, catalogs.fr);
    return { job: await view(jobs, job), results: rows, resultsCsv };
  };

  const stop = async (jobs: BulkJobsPort, id: string, pause: Pause | null): Promise<void> => {
    await jobs.setState(id, pause === null ? 'finished' : 'paused', json(pause));
    running = null;
    const out = await results(jobs, id);
    deps.events.onStopped({
      ...out,
      isCancelled: pause?.reason === 'cancelled',
      isPaused: pause !== null,
    });
  };

  /** Apply the rows not done yet, chunk by chunk, until done, cancelled or a chunk fails. */
  const run = async (session: BulkSession, jobs: BulkJobsPort, id: string): Promise<void> => {
    let x509;
    try {
      x509 = await createDirectory(session.graph).getX509Config();
    } catch (error) {
      await stop(jobs, id, pauseFor(error));
      return;
    }
    const ctxBase = {
      graph: session.graph,
      x509,
      groupId: session.configuredGroupId ?? x509.targetGroupId,
      ...(session.limits === undefined ? {} : { limits: session.limits }),
    };
    // Bounded: every pass completes its rows or stops the job.
    for (let pass = 0; pass < 100_000; pass++) {
      if (running?.cancelled === true) {
        await stop(jobs, id, { reason: 'cancelled', error: null });
        return;
      }
      const batch = (await jobs.rows(id, { unfinished: true, limit: BULK_CHUNK })).map((l) => ({
        ...parseLine(l),
        idx: l.idx,
        wasWriting: l.state === 'writing',
      }));
      if (batch.length === 0) {
        await stop(jobs, id, null);
        return;
      }
      const done: { idx: number; result: RowResult }[] = [];
      const journal: JournalEntryInput[] = [];
      const chunk: (ChunkRow & { wasWriting: boolean })[] = [];
      for (const line of batch) {
        const { input } = line;
        if (input.skip !== null || input.derBase64 === null || input.userId === null) {
          done.push({ idx: line.idx, result: skipped(input) });
          continue;
        }
        try {
          const card = await resolveUsableDer(derFromBase64(input.derBase64), session.certificateStatus);
          chunk.push({
            key: line.idx,
            userId: input.userId,
            card,
            isRenewal: input.isRenewal,
            wasWriting: line.wasWriting,
          });
        } catch (error) {
          done.push({ idx: line.idx, result: failedResult(input, error) });
        }
      }
      try {
        const outcome = await applyChunk({ ...ctxBase, beforeWrite: (keys) => jobs.markWriting(id, keys) }, chunk);
        for (const row of chunk) {
          const r = outcome.get(row.key);
          const input = batch.find((b) => b.idx === row.key)?.input;
          if (input === undefined) {
            continue;
          }
          if (r === undefined) {
            // Every row must leave the chunk done, or the next pass would pick it up again.
            done.push({ idx: row.key, result: failedResult(input, new AppError('internal')) });
            continue;
          }
          // A row found already written after a restart was written by this job's interrupted chunk.
          const status = r.status === 'unchanged' && row.wasWriting ? 'written' : r.status;
          done.push({
            idx: row.key,
            result: {
              status,
              userPrincipalName: r.user?.userPrincipalName ?? input.userPrincipalName,
              values: r.certificateUserIds,
              altSecurityIdentities: r.altSecurityIdentities,
              error: r.error === null ? null : toContractError(r.error),
            },
          });
          journal.push(bulkJournalEntry(session.agent, row.card, row.userId, { ...r, status }, id));
        }
      } catch (error) {
        // Keep what this chunk decided without Graph (skips, bad certificates), then pause.
        if (done.length > 0) {
          await jobs.complete(
            id,
            done.map((d) => ({ idx: d.idx, result: json(d.result) })),
            [],
          );
        }
        deps.logger.warn('bulk job paused', { jobId: id, code: error instanceof AppError ? error.code : 'internal' });
        await stop(jobs, id, pauseFor(error));
        return;
      }
      await nameHolders(session, batch, done);
      await jobs.complete(
        id,
        done.map((d) => ({ idx: d.idx, result: json(d.result) })),
        journal,
      );
      const job = await jobs.get(id);
      if (job !== undefined) {
        deps.events.onProgress(await view(jobs, job));
      }
    }
  };

  const launch = (session: BulkSession, jobs: BulkJobsPort, id: string): void => {
    running = { id, cancelled: false };
    run(session, jobs, id).catch(async (error: unknown) => {
      deps.logger.error('bulk job failed', { jobId: id, error: String(error) });
      try {
        await stop(jobs, id, pauseFor(error));
      } catch {
        running = null;
      }
    });
  };

  const requireIdle = (): void => {
    if (running !== null) {
      throw new AppError('bulk.already-running', { details: { jobId: running.id } });
    }
  };

  return {
    /** Store the previewed rows as a new job and start applying them. */
    start: (label: string, rows: readonly PreviewedRow[]): Promise<string> =>
      withSession(async (session, jobs) => {
        requireIdle();
        const unfinished = await jobs.latestUnfinished();
        if (unfinished !== undefined) {
          throw new AppError('bulk.unfinished-job', { details: { jobId: unfinished.id, label: unfinished.label } });
        }
        const id = deps.newId();
        await jobs.create(
          { id, label, agent: session.agent.upn },
          rows.map((r) => json(toInput(r))),
        );
        const job = await jobs.get(id);
        launch(session, jobs, id);
        if (job !== undefined) {
          deps.events.onProgress(await view(jobs, job));
        }
        return id;
      }),
    /** Continue a paused (or interrupted) job with its rows not done. */
    resume: (id: string): Promise<string> =>
      withSession(async (session, jobs) => {
        requireIdle();
        const job = await jobs.get(id);
        if (job === undefined || job.state === 'finished' || job.state === 'discarded') {
          throw new AppError('bulk.job-not-resumable', { details: { jobId: id, state: job?.state ?? 'missing' } });
        }
        const resumed = await jobs.setState(id, 'running', null);
        launch(session, jobs, id);
        deps.events.onProgress(await view(jobs, resumed));
        return id;
      }),
    /** Stop after the chunk in flight; a paused job is closed as is (its results stay). */
    cancel: (id: string): Promise<void> => {
      if (running?.id === id) {
        running.cancelled = true;
      }
      return Promise.resolve();
    },
    /** Close a paused job without applying the rest (it no longer shows as unfinished). */
    discard: (id: string): Promise<void> =>
      withSession(async (_session, jobs) => {
        if (running?.id === id) {
          throw new AppError('bulk.already-running', { details: { jobId: id } });
        }
        await jobs.setState(id, 'discarded', null);
      }),
    /** The job running, paused or interrupted, if any. */
    current: (): Promise<BulkJobView | null> =>
      withSession(async (_session, jobs) => {
        const job = await jobs.latestUnfinished();
        return job === undefined ? null : view(jobs, job);
      }),
    /** Every row's result so far and the results file. */
    results: (id: string): Promise<BulkResults> => withSession((_session, jobs) => results(jobs, id)),
    /** Whether a job runs now. */
    isRunning: (): boolean => running !== null,
  };
}

/** Name the accounts holding values Graph refused as duplicates during this chunk (results file « Conflit avec »). */
async function nameHolders(
  session: BulkSession,
  batch: readonly { idx: number; input: RowInput }[],
  done: { idx: number; result: RowResult }[],
): Promise<void> {
  const rows = done.map((d) => ({
    userId: batch.find((b) => b.idx === d.idx)?.input.userId ?? '',
    error: d.result.error,
  }));
  await nameConflictHolders(session.graph, rows);
  for (const [i, row] of rows.entries()) {
    const d = done[i];
    if (d !== undefined) {
      d.result = { ...d.result, error: row.error };
    }
  }
}

function skipped(input: RowInput): RowResult {
  return {
    status: 'skipped',
    userPrincipalName: input.userPrincipalName,
    values: [],
    altSecurityIdentities: [],
    error: input.skip,
  };
}

function failedResult(input: RowInput, error: unknown): RowResult {
  const e = error instanceof AppError ? error : new AppError('enrollment.invalid-certificate');
  return { ...skipped(input), status: 'failed', error: toContractError(e) };
}

function pauseFor(error: unknown): Pause {
  const e: ContractError =
    error instanceof AppError
      ? toContractError(error)
      : { code: 'internal', messageKey: 'errors.internal', details: {} };
  return { reason: isOffline(error) || isTransient(error) ? 'offline' : 'error', error: e };
}
