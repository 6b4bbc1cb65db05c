/**
 * Apply one chunk (≤ 20 rows) of a bulk enrollment through `$batch`: GET the users, plan each write from what is
 * there now (so a row already done changes nothing), PATCH, add to the CBA group, re-read to verify. A row whose
 * verification shows a concurrent change goes through the single-row path (re-merge).
 *
 * PATCH items are never resent by the Graph service (a resent list is stale): a throttled or busy PATCH item makes the
 * chunk wait its Retry-After and start again from fresh reads (bounded). A failure of a whole round trip, or a
 * transient failure past those waits, throws: the caller pauses the job and the chunk is redone later from fresh
 * reads. Row-level refusals (conflict, limit, not found) come back as row results.
 */
import { certificateUserIdsOf, verifyAfterWrite } from '../../../shared/enrollment';
import type { DirectoryUser, MappingLimits } from '../../../shared/enrollment';
import { AppError } from '../../../shared/errors';
import type { BatchItem, BatchResult, GraphService } from '../graph';
import type { ResolvedCard } from './card';
import {
  createDirectory,
  createWriteWaits,
  isAlreadyMember,
  MAPPING_WRITE_OPTIONS,
  mappingBody,
  memberRefBody,
  memberRefUrl,
  parseUser,
  userUrl,
} from './directory';
import { WRITE_SCOPES } from './directory';
import type { WriteWaitPolicy, X509Config } from './directory';
import { explainWriteFailure, isTransient } from './errors';
import { executeWrite } from './execute';
import { buildWritePlan } from './plan';
import type { WritePlan } from './plan';

/** Rows per chunk: one `$batch` round trip per step. */
export const BULK_CHUNK = 20;

/** One row to apply. */
export type ChunkRow = { key: number; userId: string; card: ResolvedCard; isRenewal: boolean };

/** What applying did to one row. */
export type ChunkResult = {
  status: 'written' | 'unchanged' | 'synced-user' | 'failed';
  /** Error code of a failed row. */
  error: AppError | null;
  user: DirectoryUser | null;
  /** The list as re-read after the write (current list for synced users and refusals). */
  certificateUserIds: string[];
  altSecurityIdentities: string[];
  added: string[];
  removed: string[];
};

/** Shared inputs of every chunk of a run. */
export type ChunkContext = {
  graph: GraphService;
  x509: X509Config;
  groupId: string | null;
  limits?: MappingLimits;
  /** Called with the keys about to be PATCHed, before the request leaves (durable "a write may have happened"). */
  beforeWrite?: (keys: readonly number[]) => Promise<void>;
  /** Sleep of the waits after a throttled PATCH item (injectable for tests). */
  sleep?: (ms: number) => Promise<void>;
  /** Waits after a throttled or busy PATCH item before redoing the chunk (defaults: `DEFAULT_WRITE_WAIT`). */
  writeWait?: Partial<WriteWaitPolicy>;
};

/** A PATCH item failed in a way the chunk redoes from fresh reads after a wait; `written` rows already landed. */
class RedoChunk extends Error {
  constructor(
    readonly error: AppError,
    readonly written: ReadonlyMap<number, { added: string[]; removed: string[] }>,
  ) {
    super(error.message);
  }
}

/** A PATCH item failure the chunk waits out and redoes from fresh reads (throttled, server busy). */
function isRedoable(error: AppError): boolean {
  return error.code === 'graph.throttled' || error.code === 'graph.server-error';
}

/** Throw when one item failed in a way worth retrying later (the whole chunk is then redone from fresh reads). */
function throwIfTransient(results: readonly BatchResult[]): void {
  const transient = results.find((r) => r.error !== undefined && isTransient(r.error));
  if (transient?.error !== undefined) {
    throw transient.error;
  }
}

function failed(error: unknown, user: DirectoryUser | null = null): ChunkResult {
  return {
    status: 'failed',
    error: error instanceof AppError ? error : new AppError('internal', { cause: error }),
    user,
    certificateUserIds: user === null ? [] : certificateUserIdsOf(user),
    altSecurityIdentities: [],
    added: [],
    removed: [],
  };
}

type Planned = { row: ChunkRow; user: DirectoryUser; plan: WritePlan };

/**
 * Apply the rows; returns one result per key. A throttled PATCH item sends the whole chunk back to its reads after
 * the wait; a row whose PATCH landed in an earlier round still reports `written` with what that PATCH changed.
 */
export async function applyChunk(ctx: ChunkContext, rows: readonly ChunkRow[]): Promise<Map<number, ChunkResult>> {
  const waits = createWriteWaits(ctx);
  const written = new Map<number, { added: string[]; removed: string[] }>();
  for (let round = 0; round < waits.maxRounds(0); round++) {
    let out: Map<number, ChunkResult>;
    try {
      out = await applyChunkOnce(ctx, rows);
    } catch (error) {
      if (!(error instanceof RedoChunk)) {
        throw error;
      }
      for (const [key, change] of error.written) {
        written.set(key, change);
      }
      await waits.afterFailedWrite(error.error, () => error.error);
      continue;
    }
    for (const [key, change] of written) {
      const result = out.get(key);
      if (result?.status === 'unchanged') {
        out.set(key, { ...result, status: 'written', added: change.added, removed: change.removed });
      }
    }
    return out;
  }
  throw new AppError('internal', { details: { reason: 'bulk-chunk-rounds' } });
}

async function applyChunkOnce(ctx: ChunkContext, rows: readonly ChunkRow[]): Promise<Map<number, ChunkResult>> {
  const out = new Map<number, ChunkResult>();
  if (rows.length === 0) {
    return out;
  }
  const reads = await ctx.graph.batch(
    rows.map((r) => ({ id: `u${String(r.key)}`, method: 'GET', url: userUrl(r.userId) })),
  );
  throwIfTransient(reads);
  const planned: Planned[] = [];
  for (const [i, res] of reads.entries()) {
    const row = rows[i];
    if (row === undefined) {
      continue;
    }
    if (res.error !== undefined) {
      out.set(row.key, failed(explainWriteFailure(res.error, { userId: row.userId })));
      continue;
    }
    let user: DirectoryUser;
    try {
      user = parseUser(res.body);
    } catch (error) {
      out.set(row.key, failed(error));
      continue;
    }
    const plan = buildWritePlan({
      card: row.card,
      user,
      x509: ctx.x509,
      conflicts: [],
      isRenewal: row.isRenewal,
      groupId: ctx.groupId,
      ...(ctx.limits === undefined ? {} : { limits: ctx.limits }),
    });
    if (plan.view.writePath === 'entra-connect') {
      // Never PATCH a synced user: the result carries the Active Directory values to set instead.
      out.set(row.key, {
        status: 'synced-user',
        error: null,
        user,
        certificateUserIds: plan.view.current,
        altSecurityIdentities: plan.view.altSecurityIdentities,
        added: [],
        removed: [],
      });
    } else if (plan.view.refusal !== null || plan.write === null) {
      const refusal = plan.view.refusal;
      out.set(
        row.key,
        failed(new AppError(refusal?.code ?? 'internal', { details: { ...(refusal?.details ?? {}) } }), user),
      );
    } else {
      planned.push({ row, user, plan });
    }
  }
  const patches = planned.filter((p) => p.plan.write?.unchanged === false);
  if (patches.length > 0) {
    await ctx.beforeWrite?.(patches.map((p) => p.row.key));
    const items: BatchItem[] = patches.map((p) => ({
      id: `p${String(p.row.key)}`,
      method: 'PATCH',
      // The row may name the user by UPN; writes address the object id read just before.
      url: `/users/${encodeURIComponent(p.user.id)}`,
      body: mappingBody(p.plan.write?.next ?? []),
    }));
    const results = await ctx.graph.batch(items, MAPPING_WRITE_OPTIONS);
    const redo = results.find((r) => r.error !== undefined && (isTransient(r.error) || isRedoable(r.error)));
    if (redo?.error !== undefined) {
      // Never resend these bodies: after the wait every row is read and planned again (rows that landed are unchanged).
      const landed = new Map<number, { added: string[]; removed: string[] }>();
      for (const [i, res] of results.entries()) {
        const write = patches[i]?.plan.write;
        if (res.error === undefined && write !== undefined && write !== null) {
          landed.set(patches[i]?.row.key ?? -1, { added: write.added, removed: write.removed });
        }
      }
      throw isRedoable(redo.error) ? new RedoChunk(redo.error, landed) : redo.error;
    }
    for (const [i, res] of results.entries()) {
      const p = patches[i];
      if (p !== undefined && res.error !== undefined) {
        out.set(
          p.row.key,
          failed(explainWriteFailure(res.error, { userId: p.user.id, values: p.plan.chosen }), p.user),
        );
      }
    }
  }
  let ok = planned.filter((p) => !out.has(p.row.key));
  if (ctx.groupId !== null && ok.length > 0) {
    const groupId = ctx.groupId;
    const adds = await ctx.graph.batch(
      ok.map((p) => ({
        id: `g${String(p.row.key)}`,
        method: 'POST',
        url: memberRefUrl(groupId),
        body: memberRefBody(p.user.id),
      })),
      { scopes: WRITE_SCOPES },
    );
    throwIfTransient(adds);
    for (const [i, res] of adds.entries()) {
      const p = ok[i];
      if (p !== undefined && res.error !== undefined && !isAlreadyMember(res.error)) {
        const error =
          res.error.code === 'graph.not-found'
            ? new AppError('enrollment.no-cba-group', { details: { groupId } })
            : explainWriteFailure(res.error, { userId: p.user.id });
        out.set(p.row.key, failed(error, p.user));
      }
    }
    ok = ok.filter((p) => !out.has(p.row.key));
  }
  if (ok.length === 0) {
    return out;
  }
  const rereads = await ctx.graph.batch(
    ok.map((p) => ({ id: `v${String(p.row.key)}`, method: 'GET', url: userUrl(p.user.id) })),
  );
  throwIfTransient(rereads);
  for (const [i, res] of rereads.entries()) {
    const p = ok[i];
    const write = p?.plan.write;
    if (p === undefined || write === undefined || write === null) {
      continue;
    }
    const fresh = res.error === undefined ? parseUser(res.body) : null;
    const ids = fresh === null ? [] : certificateUserIdsOf(fresh);
    if (fresh !== null && verifyAfterWrite(write, ids).status === 'ok') {
      out.set(p.row.key, {
        status: write.unchanged ? 'unchanged' : 'written',
        error: null,
        user: fresh,
        certificateUserIds: ids,
        altSecurityIdentities: [],
        added: write.added,
        removed: write.removed,
      });
      continue;
    }
    // Someone changed the list meanwhile (or the re-read failed): the single-row path re-merges safely.
    try {
      const single = await executeWrite(
        {
          directory: createDirectory(ctx.graph),
          configuredGroupId: ctx.groupId,
          ...(ctx.limits === undefined ? {} : { limits: ctx.limits }),
          ...(ctx.sleep === undefined ? {} : { sleep: ctx.sleep }),
          ...(ctx.writeWait === undefined ? {} : { writeWait: ctx.writeWait }),
        },
        p.row.card,
        p.user.id,
        p.row.isRenewal,
      );
      out.set(p.row.key, {
        status: single.status === 'removed' ? 'written' : single.status,
        error: null,
        user: single.user,
        certificateUserIds: single.certificateUserIds,
        altSecurityIdentities: single.altSecurityIdentities,
        added: single.added,
        removed: single.removed,
      });
    } catch (error) {
      if (isTransient(error)) {
        throw error;
      }
      out.set(p.row.key, failed(error, p.user));
    }
  }
  return out;
}
