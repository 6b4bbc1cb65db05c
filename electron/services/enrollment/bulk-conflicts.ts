/**
 * Name who holds a value Graph refused as a duplicate while a bulk job wrote it (another agent mapped the card between
 * the preview and the write): Graph's refusal says only « same value », so the results file's « Conflit avec »
 * column would stay empty. One `$batch` of reverse lookups for the whole chunk; best effort.
 */
import type { ContractError } from '../../../shared/contract/envelope';
import { buildCertificateUserIdsLookups, findConflicts } from '../../../shared/enrollment';
import type { GraphService } from '../graph';
import { createDirectory } from './directory';

/** A finished row of a chunk whose error may be a uniqueness conflict. */
export type ConflictRow = { userId: string; error: ContractError | null };

/** At most this many values looked up per chunk (20 rows × a few values each). */
const MAX_VALUES = 100;

function unnamedConflictValues(error: ContractError | null): string[] {
  if (error?.code !== 'enrollment.uniqueness-conflict') {
    return [];
  }
  const details = error.details ?? {};
  const named = details.conflicts;
  if (Array.isArray(named) && named.length > 0) {
    return [];
  }
  const values = details.values;
  return Array.isArray(values) ? values.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * Fill `details.conflicts` (`{ userId, userPrincipalName }`, as the preview's refusals carry them) of the rows whose
 * uniqueness conflict names nobody. Rows are changed in place; a failed lookup leaves them as they were.
 */
export async function nameConflictHolders(graph: GraphService, rows: readonly ConflictRow[]): Promise<void> {
  const pending = rows
    .map((row) => ({ row, values: unnamedConflictValues(row.error) }))
    .filter((p) => p.values.length > 0);
  const values = [...new Set(pending.flatMap((p) => p.values))].slice(0, MAX_VALUES);
  if (values.length === 0) {
    return;
  }
  let holders;
  try {
    holders = [...(await createDirectory(graph).runQueries(buildCertificateUserIdsLookups(values))).values()].flat();
  } catch {
    // The row keeps its conflict code and message; only the holder's name is missing.
    return;
  }
  for (const { row, values: rowValues } of pending) {
    const conflicts = findConflicts({ values: rowValues, targetUserId: row.userId, users: holders });
    if (row.error !== null && conflicts.length > 0) {
      row.error = {
        ...row.error,
        details: {
          ...(row.error.details ?? {}),
          conflicts: conflicts.map((c) => ({ userId: c.userId, userPrincipalName: c.userPrincipalName })),
        },
      };
    }
  }
}
