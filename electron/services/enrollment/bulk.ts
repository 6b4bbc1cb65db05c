/**
 * Bulk enrollment: many (user, certificate) rows written through `$batch`, 20 rows per round trip for each of the
 * reads, the PATCHes, the group adds and the verifying re-reads. A row whose verification shows a concurrent change
 * falls back to the single-row path (re-merge); Graph's own uniqueness refusal is reported per row.
 */
import { certificateUserIdsOf, verifyAfterWrite } from '../../../shared/enrollment';
import type { DirectoryUser, MappingLimits } from '../../../shared/enrollment';
import { AppError } from '../../../shared/errors';
import type { BatchItem, GraphService } from '../graph';
import type { JournalPort } from '../store';
import { resolveDer } from './card';
import type { ResolvedCard } from './card';
import {
  createDirectory,
  isAlreadyMember,
  mappingBody,
  memberRefBody,
  memberRefUrl,
  parseUser,
  userUrl,
  WRITE_SCOPES,
} from './directory';
import type { X509Config } from './directory';
import { explainWriteFailure } from './errors';
import { executeWrite } from './execute';
import { entry } from './journal';
import type { Agent } from './journal';
import { buildWritePlan } from './plan';
import type { WritePlan } from './plan';

/** One bulk row. */
export type BulkRow = { userId: string; der: Uint8Array; isRenewal?: boolean };

/** What happened to one row. */
export type BulkResult = {
  userId: string;
  status: 'written' | 'unchanged' | 'synced-user' | 'failed';
  error: string | null;
  certificateUserIds: string[];
};

/** Progress and cancellation. */
export type BulkOptions = {
  onProgress?: (done: number, total: number) => void;
  /** Checked between chunks: rows not started are reported `enrollment.cancelled`. */
  isCancelled?: () => boolean;
};

const CHUNK = 20;

type Row = { index: number; row: BulkRow; card?: ResolvedCard; user?: DirectoryUser; plan?: WritePlan };

/** Apply the rows. */
export async function applyBulk(input: {
  graph: GraphService;
  agent: Agent;
  journal: JournalPort;
  rows: readonly BulkRow[];
  groupId: string | null;
  limits?: MappingLimits;
  options?: BulkOptions;
}): Promise<BulkResult[]> {
  const directory = createDirectory(input.graph);
  const x509: X509Config = await directory.getX509Config();
  const groupId = input.groupId ?? x509.targetGroupId;
  const results: BulkResult[] = input.rows.map((r) => ({
    userId: r.userId,
    status: 'failed',
    error: 'enrollment.cancelled',
    certificateUserIds: [],
  }));
  const fail = (r: Row, error: unknown): void => {
    results[r.index] = {
      userId: r.row.userId,
      status: 'failed',
      error: error instanceof AppError ? error.code : 'internal',
      certificateUserIds: [],
    };
  };
  for (let start = 0; start < input.rows.length; start += CHUNK) {
    if (input.options?.isCancelled?.() === true) {
      break;
    }
    const chunk: Row[] = input.rows.slice(start, start + CHUNK).map((row, i) => ({ index: start + i, row }));
    for (const r of chunk) {
      try {
        r.card = await resolveDer(r.row.der);
      } catch (error) {
        fail(r, error);
      }
    }
    const live = chunk.filter((r) => r.card !== undefined);
    const reads = await input.graph.batch(
      live.map((r) => ({ id: String(r.index), method: 'GET', url: userUrl(r.row.userId) })),
    );
    for (const [i, res] of reads.entries()) {
      const r = live[i];
      if (r?.card === undefined) {
        continue;
      }
      if (res.error !== undefined) {
        fail(r, explainWriteFailure(res.error, { userId: r.row.userId }));
        continue;
      }
      r.user = parseUser(res.body);
      r.plan = buildWritePlan({
        card: r.card,
        user: r.user,
        x509,
        conflicts: [],
        isRenewal: r.row.isRenewal ?? false,
        groupId,
        ...(input.limits === undefined ? {} : { limits: input.limits }),
      });
      if (r.plan.view.writePath === 'entra-connect') {
        results[r.index] = {
          userId: r.row.userId,
          status: 'synced-user',
          error: null,
          certificateUserIds: r.plan.view.current,
        };
        r.plan = undefined;
      } else if (r.plan.view.refusal !== null) {
        fail(r, new AppError(r.plan.view.refusal.code));
        r.plan = undefined;
      }
    }
    const planned = live.filter((r) => r.plan !== undefined && r.plan.write !== null);
    const patches = planned.filter((r) => r.plan?.write?.unchanged === false);
    const writeItems: BatchItem[] = [
      ...patches.map((r) => ({
        id: `p${String(r.index)}`,
        method: 'PATCH' as const,
        // The row may name the user by UPN; writes address the object id read just before.
        url: `/users/${encodeURIComponent(r.user?.id ?? r.row.userId)}`,
        body: mappingBody(r.plan?.write?.next ?? []),
      })),
    ];
    const patchResults = writeItems.length === 0 ? [] : await input.graph.batch(writeItems, { scopes: WRITE_SCOPES });
    const patchFailed = new Set<number>();
    for (const [i, res] of patchResults.entries()) {
      const r = patches[i];
      if (r !== undefined && res.error !== undefined) {
        patchFailed.add(r.index);
        fail(r, explainWriteFailure(res.error, { userId: r.row.userId, values: r.plan?.chosen ?? [] }));
      }
    }
    const ok = planned.filter((r) => !patchFailed.has(r.index));
    if (groupId !== null && ok.length > 0) {
      const adds = await input.graph.batch(
        ok.map((r) => ({
          id: `g${String(r.index)}`,
          method: 'POST',
          url: memberRefUrl(groupId),
          body: memberRefBody(r.user?.id ?? r.row.userId),
        })),
        { scopes: WRITE_SCOPES },
      );
      for (const [i, res] of adds.entries()) {
        const r = ok[i];
        if (r !== undefined && res.error !== undefined && !isAlreadyMember(res.error)) {
          patchFailed.add(r.index);
          fail(r, explainWriteFailure(res.error, { userId: r.row.userId }));
        }
      }
    }
    const toVerify = ok.filter((r) => !patchFailed.has(r.index));
    const rereads = await input.graph.batch(
      toVerify.map((r) => ({ id: `v${String(r.index)}`, method: 'GET', url: userUrl(r.row.userId) })),
    );
    for (const [i, res] of rereads.entries()) {
      const r = toVerify[i];
      const write = r?.plan?.write;
      if (r === undefined || write === undefined || write === null || r.card === undefined) {
        continue;
      }
      let status: BulkResult['status'] = write.unchanged ? 'unchanged' : 'written';
      let ids = res.error === undefined ? certificateUserIdsOf(parseUser(res.body)) : [];
      if (res.error !== undefined || verifyAfterWrite(write, ids).status !== 'ok') {
        // Someone changed the list meanwhile (or the re-read failed): the single-row path re-merges safely.
        try {
          const single = await executeWrite(
            { directory, configuredGroupId: groupId },
            r.card,
            r.row.userId,
            r.row.isRenewal ?? false,
          );
          ids = single.certificateUserIds;
          status =
            single.status === 'synced-user' ? 'synced-user' : single.status === 'unchanged' ? 'unchanged' : 'written';
        } catch (error) {
          fail(r, error);
          continue;
        }
      }
      results[r.index] = { userId: r.row.userId, status, error: null, certificateUserIds: ids };
    }
    for (const r of chunk) {
      const result = results[r.index];
      if (result === undefined) {
        continue;
      }
      await input.journal.append(
        entry({
          kind: result.status === 'failed' ? 'enrollment-failed' : 'mapping-written',
          agent: input.agent,
          card: r.card?.journal,
          user: { id: r.user?.id ?? r.row.userId, upn: r.user?.userPrincipalName },
          details: { bulk: true, status: result.status, error: result.error, added: r.plan?.write?.added ?? [] },
        }),
      );
    }
    input.options?.onProgress?.(Math.min(start + CHUNK, input.rows.length), input.rows.length);
  }
  return results;
}
