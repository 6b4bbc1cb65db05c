import { randomUUID } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Handlers } from '../../shared/contract/dispatcher';
import type { BulkSource } from '../../shared/contract/bulk';
import { resultsFileName, writeBulkJobResultsCsv } from '../../shared/enrollment/bulk-results';
import { AppError } from '../../shared/errors';
import { catalogs } from '../../shared/i18n';
import type { BulkSession } from '../services/enrollment/bulk';
import { createBulkJobRunner } from '../services/enrollment/bulk-job';
import { previewBulk, toContractError } from '../services/enrollment/bulk-preview';
import type { PreviewedRow } from '../services/enrollment/bulk-preview';
import { loadBulkSource } from '../services/enrollment/bulk-source';
import type { SourceFs } from '../services/enrollment/bulk-source';
import { createLogger } from '../services/logging';
import type { BulkJobsPort } from '../services/store';
import { defaultIdentifierAttribute } from './enrollment-wiring';
import type { EventBus } from './event-bus';

type BulkHandlers = Pick<
  Handlers,
  | 'bulk:preview'
  | 'bulk:apply'
  | 'bulk:cancel'
  | 'bulk:resume'
  | 'bulk:discard'
  | 'bulk:get-job'
  | 'bulk:get-results'
  | 'bulk:save-results'
>;

/** Writing the results file next to the source (injected so tests can fail it). */
export type ResultsFs = {
  stat(path: string): Promise<{ isDirectory(): boolean }>;
  /** Create `path` with `text`; rejects with code `EEXIST` when it exists (never overwrites). */
  createFile(path: string, text: string): Promise<void>;
};

const nodeResultsFs: ResultsFs = {
  stat: (path) => stat(path),
  createFile: (path, text) => writeFile(path, text, { encoding: 'utf8', flag: 'wx' }),
};

/** Distinct names tried when a results file of the same second already exists. */
const MAX_NAME_ATTEMPTS = 20;

/**
 * Write the results next to the source: in the CSV's folder, or in the certificate folder itself. The source must be
 * the job's (same name as its label), so a results file only lands where the agent's import came from.
 */
export async function saveNextToSource(
  fs: ResultsFs,
  input: { sourcePath: string; label: string; csv: string; fileName: string },
): Promise<string> {
  const source = resolve(input.sourcePath);
  if (basename(source) !== input.label && basename(input.sourcePath) !== input.label) {
    throw new AppError('bulk.save-source-mismatch', { details: { path: input.sourcePath, label: input.label } });
  }
  let folder = dirname(source);
  try {
    folder = (await fs.stat(source)).isDirectory() ? source : dirname(source);
  } catch (cause) {
    throw new AppError('bulk.save-failed', { details: { folder, reason: 'source-gone' }, cause });
  }
  const stem = input.fileName.replace(/\.csv$/, '');
  for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt++) {
    const path = join(folder, attempt === 1 ? input.fileName : `${stem}-${String(attempt)}.csv`);
    try {
      await fs.createFile(path, input.csv);
      return path;
    } catch (cause) {
      if ((cause as { code?: unknown }).code !== 'EEXIST') {
        throw new AppError('bulk.save-failed', { details: { folder }, cause });
      }
    }
  }
  throw new AppError('bulk.save-failed', { details: { folder, reason: 'name-taken' } });
}

const nodeFs: SourceFs = {
  readFile: async (path) => new Uint8Array(await readFile(path)),
  readdir: (path) => readdir(path),
  stat: (path) => stat(path),
};

/**
 * Bulk import: preview every row against the tenant (the desk's planning plus batched user reads and reverse
 * lookups), then apply it as a durable job in the enrollment store — progress events, cancel, pause when Graph is
 * unreachable, resume (also after a restart), per-row results file.
 */
export function wireBulk(options: {
  bus: EventBus;
  /** The signed-in session: Graph for the active account, the agent, the enrollment journal and the CBA group. */
  session: () => Promise<BulkSession>;
  /** The job table of the enrollment store (the journal's database). */
  jobs: () => BulkJobsPort;
  fs?: SourceFs;
  resultsFs?: ResultsFs;
  /** Time of the results file name (default: now). */
  now?: () => Date;
  /** Where the national identifier is looked for when resolving a folder's certificates (default employeeId). */
  identifierAttribute?: () => Promise<string | null>;
}) {
  const fs = options.fs ?? nodeFs;
  const logger = createLogger('bulk');
  const runner = createBulkJobRunner({
    jobs: options.jobs,
    session: options.session,
    logger,
    newId: () => randomUUID(),
    events: {
      onProgress: (job) => {
        options.bus.emit('bulk:progress', { jobId: job.jobId, done: job.done, total: job.total, job });
      },
      onStopped: (results) => {
        options.bus.emit('bulk:finished', { jobId: results.job.jobId, ...results });
      },
    },
  });

  const preview = async (
    source: BulkSource,
  ): Promise<{ label: string; rows: PreviewedRow[]; fileError: AppError | null }> => {
    const loaded = await loadBulkSource(source, fs);
    if (loaded.fileError !== null) {
      return { label: loaded.label, rows: [], fileError: loaded.fileError };
    }
    const identifierAttribute = (await options.identifierAttribute?.()) ?? defaultIdentifierAttribute;
    const rows = await previewBulk(await options.session(), loaded.rows, { identifierAttribute });
    return { label: loaded.label, rows, fileError: null };
  };

  const handlers: BulkHandlers = {
    'bulk:preview': async ({ source }) => {
      const { rows, fileError } = await preview(source);
      return { rows: rows.map((r) => r.row), fileError: fileError === null ? null : toContractError(fileError) };
    },
    'bulk:apply': async ({ source }) => {
      if (runner.isRunning()) {
        throw new AppError('bulk.already-running');
      }
      const { label, rows, fileError } = await preview(source);
      if (fileError !== null) {
        throw fileError;
      }
      return { jobId: await runner.start(label, rows) };
    },
    'bulk:cancel': async ({ jobId }) => {
      await runner.cancel(jobId);
      return null;
    },
    'bulk:resume': async ({ jobId }) => ({ jobId: await runner.resume(jobId) }),
    'bulk:discard': async ({ jobId }) => {
      await runner.discard(jobId);
      return null;
    },
    'bulk:get-job': () => runner.current(),
    'bulk:get-results': ({ jobId }) => runner.results(jobId),
    'bulk:save-results': async ({ jobId, sourcePath, language }) => {
      const { job, results } = await runner.results(jobId);
      const catalog = catalogs[language];
      const path = await saveNextToSource(options.resultsFs ?? nodeResultsFs, {
        sourcePath,
        label: job.label,
        csv: writeBulkJobResultsCsv(results, catalog),
        fileName: resultsFileName(job.label, options.now?.() ?? new Date(), catalog),
      });
      logger.info('bulk results saved next to the source', { jobId, path });
      return { path };
    },
  };
  return { handlers };
}
