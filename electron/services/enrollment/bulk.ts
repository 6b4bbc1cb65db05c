/**
 * Bulk enrollment through the enrollment service: many (user, certificate) rows written through `$batch`, 20 rows
 * per round trip for each of the reads, the PATCHes, the group adds and the verifying re-reads (`bulk-chunk.ts`).
 * Durable jobs (pause, resume, results file) are built on the same chunks in `bulk-job.ts`; the app wiring hands them
 * the signed-in session (`BulkSession`) and the store's job table directly.
 */
import type { MappingLimits } from '../../../shared/enrollment';
import { AppError } from '../../../shared/errors';
import type { GraphService } from '../graph';
import type { JournalPort } from '../store';
import { applyChunk, BULK_CHUNK } from './bulk-chunk';
import type { ChunkResult } from './bulk-chunk';
import { bulkJournalEntry } from './bulk-journal';
import { resolveUsableDer } from './cert-status';
import type { CertificateStatusPort } from './cert-status';
import type { ResolvedCard } from './card';
import { createDirectory } from './directory';
import { isTransient } from './errors';
import type { Agent } from './journal';

/** One bulk row. */
export type BulkRow = { userId: string; der: Uint8Array; isRenewal?: boolean };

/** What happened to one row. */
export type BulkResult = {
  userId: string;
  status: 'written' | 'unchanged' | 'synced-user' | 'failed';
  error: string | null;
  certificateUserIds: string[];
};

/** What a durable bulk job needs from the signed-in session. */
export type BulkSession = {
  graph: GraphService;
  agent: Agent;
  journal: JournalPort;
  /** The configured CBA group (settings), or null to use the group the x509 method targets. */
  configuredGroupId: string | null;
  limits?: MappingLimits;
  /** Validity and revocation of a row's card: an expired, not-yet-valid or revoked card is never written. */
  certificateStatus?: CertificateStatusPort;
};

/** Progress and cancellation. */
export type BulkOptions = {
  onProgress?: (done: number, total: number) => void;
  /** Checked between chunks: rows not started are reported `enrollment.cancelled`. */
  isCancelled?: () => boolean;
};

/** Result of a row, as `applyBulk` reports it. */
function toResult(userId: string, r: ChunkResult): BulkResult {
  return {
    userId,
    status: r.status,
    error: r.error === null ? null : r.error.code,
    certificateUserIds: r.certificateUserIds,
  };
}

/**
 * Apply the rows in chunks. A chunk that fails as a whole (Graph unreachable) stops the run: its rows and the later
 * ones are reported with that error, the rows of earlier chunks keep their results.
 */
export async function applyBulk(input: {
  graph: GraphService;
  agent: Agent;
  journal: JournalPort;
  rows: readonly BulkRow[];
  groupId: string | null;
  limits?: MappingLimits;
  certificateStatus?: CertificateStatusPort;
  options?: BulkOptions;
}): Promise<BulkResult[]> {
  const results: BulkResult[] = input.rows.map((r) => ({
    userId: r.userId,
    status: 'failed',
    error: 'enrollment.cancelled',
    certificateUserIds: [],
  }));
  if (input.rows.length === 0) {
    return results;
  }
  const x509 = await createDirectory(input.graph).getX509Config();
  const ctx = {
    graph: input.graph,
    x509,
    groupId: input.groupId ?? x509.targetGroupId,
    ...(input.limits === undefined ? {} : { limits: input.limits }),
  };
  for (let start = 0; start < input.rows.length; start += BULK_CHUNK) {
    if (input.options?.isCancelled?.() === true) {
      break;
    }
    const cards = new Map<number, ResolvedCard>();
    const rows = [];
    for (const [i, row] of input.rows.slice(start, start + BULK_CHUNK).entries()) {
      const key = start + i;
      try {
        const card = await resolveUsableDer(row.der, input.certificateStatus);
        cards.set(key, card);
        rows.push({ key, userId: row.userId, card, isRenewal: row.isRenewal ?? false });
      } catch (error) {
        results[key] = { userId: row.userId, status: 'failed', error: codeOf(error), certificateUserIds: [] };
      }
    }
    let outcome: Map<number, ChunkResult>;
    try {
      outcome = await applyChunk(ctx, rows);
    } catch (error) {
      // The whole chunk failed (offline, throttled past the budget): say so on its rows and the later ones, stop.
      for (let key = start; key < input.rows.length; key++) {
        const row = input.rows[key];
        if (row !== undefined && (key >= start + BULK_CHUNK || cards.has(key))) {
          results[key] = { userId: row.userId, status: 'failed', error: codeOf(error), certificateUserIds: [] };
        }
      }
      if (isTransient(error) || error instanceof AppError) {
        break;
      }
      throw error;
    }
    for (const [key, r] of outcome) {
      const row = input.rows[key];
      if (row === undefined) {
        continue;
      }
      results[key] = toResult(row.userId, r);
      await input.journal.append(bulkJournalEntry(input.agent, cards.get(key), row.userId, r));
    }
    input.options?.onProgress?.(Math.min(start + BULK_CHUNK, input.rows.length), input.rows.length);
  }
  return results;
}

function codeOf(error: unknown): string {
  return error instanceof AppError ? error.code : 'internal';
}
