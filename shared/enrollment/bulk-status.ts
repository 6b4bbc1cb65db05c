/**
 * Bulk enrollment decisions that need no I/O: the status of a previewed row, conflicts between rows of the same file,
 * the outcome counts (the per-row results file is `bulk-results.ts`).
 */
import { comparisonKey } from './values';

/** What the preview says about one row before anything is written. */
export const BULK_ROW_STATUSES = [
  'ok',
  'already-enrolled',
  'conflict',
  'user-not-found',
  'ambiguous-user',
  'synced-user',
  'bad-certificate',
  'limit-exceeded',
  'not-matchable',
  'invalid-row',
  'lookup-failed',
] as const;
/** Status of a previewed row. */
export type BulkRowStatus = (typeof BULK_ROW_STATUSES)[number];

/** What applying did to one row; `pending` rows were not processed yet (cancelled, paused). */
export const BULK_OUTCOMES = ['written', 'unchanged', 'synced-user', 'failed', 'skipped', 'pending'] as const;
/** Outcome of one row. */
export type BulkOutcome = (typeof BULK_OUTCOMES)[number];

/** Error codes and the row status they mean (anything else about a row's certificate is `bad-certificate`). */
const STATUS_OF_CODE: Readonly<Record<string, BulkRowStatus>> = {
  'enrollment.user-not-found': 'user-not-found',
  'graph.not-found': 'user-not-found',
  'bulk.ambiguous-user': 'ambiguous-user',
  'bulk.no-user-for-certificate': 'user-not-found',
  'enrollment.uniqueness-conflict': 'conflict',
  'bulk.duplicate-value-in-file': 'conflict',
  'bulk.duplicate-user-in-file': 'conflict',
  'mapping.limit-exceeded': 'limit-exceeded',
  'mapping.value-too-long': 'limit-exceeded',
  'enrollment.no-matchable-binding': 'not-matchable',
  'bulk.row-column-count': 'invalid-row',
  'bulk.row-invalid-user': 'invalid-row',
  'bulk.row-invalid-certificate': 'invalid-row',
  'bulk.row-relative-path': 'invalid-row',
};

const BAD_CERTIFICATE_CODES = new Set([
  'enrollment.invalid-certificate',
  'enrollment.not-an-authentication-certificate',
  'enrollment.certificate-expired',
  'enrollment.certificate-not-yet-valid',
  'enrollment.certificate-revoked',
  'bulk.row-unreadable-file',
  'mapping.invalid-value',
]);

/** The status a row gets from the error code that stopped it. */
export function statusOfCode(code: string): BulkRowStatus {
  const known = STATUS_OF_CODE[code];
  if (known !== undefined) {
    return known;
  }
  return BAD_CERTIFICATE_CODES.has(code) ? 'bad-certificate' : 'lookup-failed';
}

/** The parts of a write plan the status depends on. */
export type PlannedRowFacts = {
  writePath: 'graph' | 'entra-connect';
  refusal: { code: string } | null;
  /** Values the write would add (empty: everything already there). */
  added: readonly string[];
  /** Values the write would remove (a renewal replacing the previous card). */
  removed: readonly string[];
};

/** Status of a row whose user was read and whose plan was built. */
export function statusOfPlan(plan: PlannedRowFacts): BulkRowStatus {
  if (plan.refusal !== null) {
    return statusOfCode(plan.refusal.code);
  }
  if (plan.writePath === 'entra-connect') {
    return 'synced-user';
  }
  return plan.added.length === 0 && plan.removed.length === 0 ? 'already-enrolled' : 'ok';
}

/** Rows apply will send to Graph (the others are reported as skipped with their reason). */
export function isApplicable(status: BulkRowStatus): boolean {
  return status === 'ok' || status === 'already-enrolled' || status === 'synced-user';
}

/** A row of the file, as far as in-file duplicates go. */
export type InFileRow = { line: number; userId: string | null; values: readonly string[] };

/** A later row that repeats a user or a value of an earlier row of the same file. */
export type InFileDuplicate = {
  line: number;
  code: 'bulk.duplicate-user-in-file' | 'bulk.duplicate-value-in-file';
  firstLine: number;
  value: string | null;
};

/**
 * Later rows repeating an earlier row's user or card value: both cannot be written in one pass (two PATCHes of one
 * user in a batch overwrite each other; one value cannot belong to two users). The first row wins.
 */
export function findInFileDuplicates(rows: readonly InFileRow[]): InFileDuplicate[] {
  const users = new Map<string, number>();
  const values = new Map<string, number>();
  const out: InFileDuplicate[] = [];
  for (const row of rows) {
    const userKey = row.userId?.toLowerCase() ?? null;
    const firstUser = userKey === null ? undefined : users.get(userKey);
    if (firstUser !== undefined) {
      out.push({ line: row.line, code: 'bulk.duplicate-user-in-file', firstLine: firstUser, value: null });
      continue;
    }
    const repeated = row.values.find((v) => values.has(comparisonKey(v)));
    if (repeated !== undefined) {
      const firstLine = values.get(comparisonKey(repeated)) ?? row.line;
      out.push({ line: row.line, code: 'bulk.duplicate-value-in-file', firstLine, value: repeated });
      continue;
    }
    if (userKey !== null) {
      users.set(userKey, row.line);
    }
    for (const v of row.values) {
      values.set(comparisonKey(v), row.line);
    }
  }
  return out;
}

/** Counts of outcomes, every outcome present. */
export function countOutcomes(outcomes: readonly BulkOutcome[]): Record<BulkOutcome, number> {
  const counts = Object.fromEntries(BULK_OUTCOMES.map((o) => [o, 0])) as Record<BulkOutcome, number>;
  for (const o of outcomes) {
    counts[o] += 1;
  }
  return counts;
}
