import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import type { BulkPreviewRow, BulkResultRow } from '../../shared/contract/bulk';
import type { Handlers } from '../../shared/contract/dispatcher';
import type { ContractError } from '../../shared/contract/envelope';
import { inspectCertificate, splitCertificateFile } from '../../shared/certificates';
import { parseBulkEnrollmentCsv, writeBulkResultsCsv } from '../../shared/enrollment';
import type { BulkRow as CsvRow } from '../../shared/enrollment';
import { AppError } from '../../shared/errors';
import { certificateUserIdsFromDer, MAPPING_FORMS } from '../../shared/mapping';
import type { EnrollmentService } from '../services/enrollment';
import type { EventBus } from './event-bus';

type BulkHandlers = Pick<Handlers, 'bulk:preview' | 'bulk:apply' | 'bulk:cancel'>;

const errorOf = (code: string, details: Record<string, unknown> = {}): ContractError => ({
  code,
  messageKey: `errors.${code}`,
  details,
});

/** The authentication certificate a CSV row points to: inline PEM/base64, or an absolute file path read here. */
async function loadCertificate(row: CsvRow): Promise<Uint8Array> {
  const { certificate } = row;
  if (certificate.kind === 'path') {
    if (!isAbsolute(certificate.value)) {
      throw new AppError('bulk.row-relative-path', { details: { line: row.line } });
    }
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(certificate.value));
    } catch (cause) {
      throw new AppError('bulk.row-unreadable-file', { details: { line: row.line, path: certificate.value }, cause });
    }
    return firstCertificate(bytes, row.line);
  }
  const bytes =
    certificate.kind === 'pem'
      ? new TextEncoder().encode(certificate.value)
      : new Uint8Array(Buffer.from(certificate.value, 'base64'));
  return firstCertificate(bytes, row.line);
}

function firstCertificate(bytes: Uint8Array, line: number): Uint8Array {
  const der = splitCertificateFile(bytes).find((candidate) => inspectCertificate(candidate).role === 'authentication');
  if (der === undefined) {
    throw new AppError('enrollment.not-an-authentication-certificate', { details: { line } });
  }
  return der;
}

type Prepared = { row: CsvRow; der: Uint8Array | null; preview: BulkPreviewRow };

/** Parse the CSV and resolve every certificate; row problems stay on their row, the others go on. */
async function prepare(csvText: string): Promise<{ rows: Prepared[]; fileError: ContractError | null }> {
  const parsed = parseBulkEnrollmentCsv(csvText);
  if (!parsed.ok) {
    return { rows: [], fileError: errorOf(parsed.refusal.code, parsed.refusal.details) };
  }
  const rows: Prepared[] = parsed.result.errors.map((error) => ({
    row: { line: error.line } as CsvRow,
    der: null,
    preview: {
      line: error.line,
      user: '',
      holder: null,
      values: [],
      error: errorOf(error.code, { ...error.details, line: error.line }),
    },
  }));
  for (const row of parsed.result.rows) {
    const user = row.user.value;
    try {
      const der = await loadCertificate(row);
      const { info, values } = await certificateUserIdsFromDer(der);
      const recommended = Object.entries(values).flatMap(([form, value]) =>
        value !== null && MAPPING_FORMS[form as keyof typeof MAPPING_FORMS].recommended ? [value] : [],
      );
      const holder = [info.holder.givenName, info.holder.surname].filter(Boolean).join(' ') || info.holder.commonName;
      rows.push({ row, der, preview: { line: row.line, user, holder, values: recommended, error: null } });
    } catch (error) {
      const failure =
        error instanceof AppError
          ? errorOf(error.code, { ...(error.details ?? {}), line: row.line })
          : errorOf('enrollment.invalid-certificate', { line: row.line });
      rows.push({ row, der: null, preview: { line: row.line, user, holder: null, values: [], error: failure } });
    }
  }
  rows.sort((a, b) => a.preview.line - b.preview.line);
  return { rows, fileError: null };
}

/**
 * Bulk import: preview every row (holder, values to write, row errors), then apply through the enrollment service's
 * `$batch` path with progress events and cancellation. Applying the same file again resumes: rows already done come
 * back `unchanged`, never written twice.
 */
export function wireBulk(options: { bus: EventBus; enrollment: () => EnrollmentService }) {
  const cancelled = new Set<string>();
  let running: string | null = null;

  const run = async (jobId: string, csvText: string) => {
    const { rows, fileError } = await prepare(csvText);
    const ready = rows.flatMap((prepared) => (prepared.der === null ? [] : [{ prepared, der: prepared.der }]));
    const total = ready.length;
    options.bus.emit('bulk:progress', { jobId, done: 0, total });
    let applied: Awaited<ReturnType<EnrollmentService['applyBulk']>> = [];
    if (fileError === null && total > 0) {
      applied = await options.enrollment().applyBulk(
        ready.map(({ prepared, der }) => ({ userId: prepared.row.user.value, der })),
        {
          onProgress: (done) => {
            options.bus.emit('bulk:progress', { jobId, done, total });
          },
          isCancelled: () => cancelled.has(jobId),
        },
      );
    }
    const outcomes = new Map(ready.map(({ prepared }, index) => [prepared, applied[index]]));
    const results: BulkResultRow[] = rows.map((prepared) => {
      const outcome = outcomes.get(prepared);
      if (prepared.preview.error !== null || outcome === undefined) {
        return { ...prepared.preview, status: 'skipped', values: [], error: prepared.preview.error };
      }
      return {
        line: prepared.preview.line,
        user: prepared.preview.user,
        status: outcome.status,
        values: outcome.certificateUserIds,
        error: outcome.error === null ? null : errorOf(outcome.error),
      };
    });
    const resultsCsv = writeBulkResultsCsv(
      results.map((result) => ({
        line: result.line,
        user: result.user,
        status:
          result.status === 'written'
            ? 'enrolled'
            : result.status === 'synced-user'
              ? 'synced-instructions'
              : result.status === 'failed'
                ? 'error'
                : result.status,
        values: result.values,
        code: result.error?.code ?? null,
        message: null,
      })),
    );
    options.bus.emit('bulk:finished', { jobId, isCancelled: cancelled.has(jobId), results, resultsCsv });
  };

  const handlers: BulkHandlers = {
    'bulk:preview': async ({ csvText }) => {
      const { rows, fileError } = await prepare(csvText);
      return { rows: rows.map((prepared) => prepared.preview), fileError };
    },
    'bulk:apply': ({ csvText }) => {
      if (running !== null) {
        return Promise.reject(new AppError('bulk.already-running', { details: { jobId: running } }));
      }
      const jobId = randomUUID();
      running = jobId;
      void run(jobId, csvText)
        .catch((error: unknown) => {
          const failure =
            error instanceof AppError ? errorOf(error.code, { ...(error.details ?? {}) }) : errorOf('internal');
          options.bus.emit('bulk:finished', {
            jobId,
            isCancelled: false,
            results: [{ line: 0, user: '', status: 'failed', values: [], error: failure }],
            resultsCsv: '',
          });
        })
        .finally(() => {
          running = null;
          cancelled.delete(jobId);
        });
      return Promise.resolve({ jobId });
    },
    'bulk:cancel': ({ jobId }) => {
      cancelled.add(jobId);
      return Promise.resolve(null);
    },
  };
  return { handlers };
}
