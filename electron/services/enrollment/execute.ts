/**
 * Execute one enrollment step against Graph: GET → merge → refuse before sending → PATCH → group → re-read →
 * re-merge on a concurrent change. Every step starts from a fresh GET, so running it again (retry, replay after a
 * crash) finds the work already done and changes nothing.
 */
import {
  buildCertificateUserIdsLookups,
  certificateUserIdsOf,
  findConflicts,
  MAX_REMERGE_ATTEMPTS,
  planMappingWrite,
  remergeAfterConcurrentChange,
  verifyAfterWrite,
} from '../../../shared/enrollment';
import type { DirectoryUser, MappingConflict, MappingLimits, MappingWritePlan } from '../../../shared/enrollment';
import { sameMappingValue } from '../../../shared/enrollment';
import { AppError } from '../../../shared/errors';
import type { ResolvedCard } from './card';
import type { CertificateStatusPort } from './cert-status';
import { createWriteWaits, mayHaveApplied } from './directory';
import type { Directory, WriteWaitPolicy, X509Config } from './directory';
import { explainWriteFailure } from './errors';
import { buildWritePlan } from './plan';
import type { WritePlan } from './plan';

/** What one executed step did. */
export type StepResult = {
  status: 'written' | 'unchanged' | 'synced-user' | 'removed';
  user: DirectoryUser;
  /** The list as re-read after the step. */
  certificateUserIds: string[];
  added: string[];
  removed: string[];
  /** True when this step added the user to the CBA group; null when no group is configured. */
  addedToGroup: boolean | null;
  groupId: string | null;
  /** Re-merges needed because another agent changed the list meanwhile. */
  remerges: number;
  altSecurityIdentities: string[];
  /** Values another agent or tool added (appeared) or removed (disappeared) while this step ran. */
  unexpected: { appeared: string[]; disappeared: string[] };
};

/** Shared inputs of a step. */
export type StepContext = {
  directory: Directory;
  /** The configured CBA group (settings), or null to use the group the x509 method targets. */
  configuredGroupId: string | null;
  limits?: MappingLimits;
  /**
   * Wait before a second verification read after a PATCH (0: none). A write of another agent sent on a list read
   * before ours can land after our first re-read; the settle read catches it and merges again. Graph has no ETag on
   * users, so this narrows the lost-update window rather than closing it.
   */
  settleMs?: number;
  /** Sleep of the settle read and of the waits after a throttled PATCH (injectable for tests). */
  sleep?: (ms: number) => Promise<void>;
  /** Waits after a throttled or busy PATCH before reading again and merging again (defaults: `DEFAULT_WRITE_WAIT`). */
  writeWait?: Partial<WriteWaitPolicy>;
  /** The card's validity and revocation (the desk's trust store); absent: not checked. */
  certificateStatus?: CertificateStatusPort;
};

/** Reverse lookups for the values, batched, as conflicts with other users. */
export async function lookupConflicts(
  directory: Directory,
  values: readonly string[],
  targetUserId: string | null,
): Promise<MappingConflict[]> {
  if (values.length === 0) {
    return [];
  }
  const results = await directory.runQueries(buildCertificateUserIdsLookups(values));
  return findConflicts({ values, targetUserId, users: [...results.values()].flat() });
}

/** Read everything a write plan needs and build it (the same reads `plan` previews and `apply` executes). */
export async function prepareWrite(
  ctx: StepContext,
  card: ResolvedCard,
  userId: string,
  isRenewal: boolean,
): Promise<{ plan: WritePlan; x509: X509Config; groupId: string | null; user: DirectoryUser }> {
  const [user, x509, certificate] = await Promise.all([
    ctx.directory.getUser(userId),
    ctx.directory.getX509Config(),
    ctx.certificateStatus?.(card.der),
  ]);
  const groupId = ctx.configuredGroupId ?? x509.targetGroupId;
  const common = {
    card,
    user,
    x509,
    isRenewal,
    groupId,
    certificate,
    ...(ctx.limits === undefined ? {} : { limits: ctx.limits }),
  };
  const draft = buildWritePlan({ ...common, conflicts: [] });
  const conflicts = draft.view.writePath === 'graph' ? await lookupConflicts(ctx.directory, draft.chosen, user.id) : [];
  return { plan: conflicts.length === 0 ? draft : buildWritePlan({ ...common, conflicts }), x509, groupId, user };
}

/** Values of `after` missing from `before`, and of `before` missing from `after` (hex case folded). */
export function listDelta(
  before: readonly string[],
  after: readonly string[],
): { appeared: string[]; disappeared: string[] } {
  return {
    appeared: after.filter((v) => !before.some((b) => sameMappingValue(b, v))),
    disappeared: before.filter((v) => !after.some((a) => sameMappingValue(a, v))),
  };
}

/** Accumulate unexpected changes without repeating a value. */
export function addUnexpected(
  into: StepResult['unexpected'],
  delta: { appeared: readonly string[]; disappeared: readonly string[] },
): void {
  for (const v of delta.appeared) {
    if (!into.appeared.some((x) => sameMappingValue(x, v))) {
      into.appeared.push(v);
    }
  }
  for (const v of delta.disappeared) {
    if (!into.disappeared.some((x) => sameMappingValue(x, v))) {
      into.disappeared.push(v);
    }
  }
}

/** Re-read the user's list (a plain GET, never an advanced query: those lag). */
export async function readIds(ctx: StepContext, userId: string): Promise<{ user: DirectoryUser; ids: string[] }> {
  const user = await ctx.directory.getUser(userId);
  return { user, ids: certificateUserIdsOf(user) };
}

/** Sleep for the settle read. */
export function settle(ctx: StepContext): Promise<void> {
  const ms = ctx.settleMs ?? 0;
  if (ms <= 0) {
    return Promise.resolve();
  }
  return (ctx.sleep ?? ((d: number) => new Promise<void>((r) => setTimeout(r, d))))(ms);
}

/**
 * Write the card's mapping on the user (or explain the synced-user path).
 *
 * Each PATCH carries a list merged on a read made just before it. A throttled or busy PATCH is never resent as is:
 * after the Retry-After wait the list is read again and merged again, so a value another agent wrote during the wait
 * survives. The verification read checks our values and every value the pre-PATCH read showed that was not ours to
 * remove; anything missing means another writer raced us, and the list is merged again on what is there now.
 */
export async function executeWrite(
  ctx: StepContext,
  card: ResolvedCard,
  userRef: string,
  isRenewal: boolean,
): Promise<StepResult> {
  const { plan, groupId, user } = await prepareWrite(ctx, card, userRef, isRenewal);
  // The queued item may name the user by UPN (queued offline); every call below uses the object id.
  const userId = user.id;
  const unexpected: StepResult['unexpected'] = { appeared: [], disappeared: [] };
  // Refusals first: a refused card (expired, revoked) gets no AD instruction either.
  if (plan.view.refusal !== null) {
    const refusal = plan.view.refusal;
    throw new AppError(refusal.code, { details: { ...refusal.details, userId } });
  }
  if (plan.view.writePath === 'entra-connect') {
    return {
      status: 'synced-user',
      user,
      certificateUserIds: plan.view.current,
      added: [],
      removed: [],
      addedToGroup: null,
      groupId,
      remerges: 0,
      altSecurityIdentities: plan.view.altSecurityIdentities,
      unexpected,
    };
  }
  if (plan.write === null) {
    throw new AppError('internal', { details: { userId } });
  }
  const limit = ctx.limits === undefined ? {} : { limit: ctx.limits };
  const merge = (current: readonly string[]): MappingWritePlan => {
    const again = planMappingWrite({ current, toAdd: plan.chosen, previousCardValues: plan.previous, ...limit });
    if (!again.ok) {
      throw new AppError(again.refusal.code, { details: { ...again.refusal.details, userId } });
    }
    return again.plan;
  };
  const waits = createWriteWaits(ctx);
  let write: MappingWritePlan = plan.write;
  const firstPlan = plan.write;
  /** The list `write` was merged on. */
  let basis: readonly string[] = plan.view.current;
  // Re-read right before the first PATCH: the conflict lookups took a round trip, another agent may have written.
  let needsRead = true;
  let addedToGroup: boolean | null = null;
  let patched = false;
  let remerges = 0;
  for (let round = 0; round < waits.maxRounds(MAX_REMERGE_ATTEMPTS); round++) {
    if (needsRead && !write.unchanged) {
      const before = await readIds(ctx, userId);
      const delta = listDelta(basis, before.ids);
      if (delta.appeared.length > 0 || delta.disappeared.length > 0) {
        addUnexpected(unexpected, delta);
        write = merge(before.ids);
      }
      basis = before.ids;
    }
    needsRead = false;
    let patchedNow = false;
    if (!write.unchanged) {
      try {
        await ctx.directory.writeMapping(userId, write.next);
        patched = true;
        patchedNow = true;
      } catch (error) {
        patched ||= mayHaveApplied(error);
        // Throttled or busy: wait, then read and merge again (the list we built is stale after a wait).
        await waits.afterFailedWrite(error, () => explainWriteFailure(error, { userId, values: plan.chosen }));
        needsRead = true;
        continue;
      }
    }
    if (addedToGroup === null && groupId !== null) {
      try {
        addedToGroup = await ctx.directory.addToGroup(groupId, userId);
      } catch (error) {
        throw explainWriteFailure(error, { userId });
      }
    }
    if (patchedNow) {
      await settle(ctx);
    }
    const reread = await ctx.directory.getUser(userId);
    const fresh = certificateUserIdsOf(reread);
    const verdict = verifyAfterWrite({ ...write, basis }, fresh);
    addUnexpected(unexpected, { appeared: verdict.foreign, disappeared: [] });
    if (verdict.status === 'ok') {
      return {
        status: patched || remerges > 0 ? 'written' : 'unchanged',
        user: reread,
        certificateUserIds: fresh,
        added: firstPlan.added,
        removed: firstPlan.removed,
        addedToGroup,
        groupId,
        remerges,
        altSecurityIdentities: [],
        unexpected,
      };
    }
    addUnexpected(unexpected, { appeared: [], disappeared: [...verdict.missingAdded, ...verdict.missingKept] });
    remerges++;
    // Another agent wrote between our GET and our PATCH: merge again on what is there now, never on our stale list.
    const again = remergeAfterConcurrentChange({
      current: fresh,
      fresh,
      toAdd: plan.chosen,
      previousCardValues: plan.previous,
      attempt: remerges,
      ...limit,
    });
    if (!again.ok) {
      throw new AppError(again.refusal.code, { details: { ...again.refusal.details, userId } });
    }
    write = again.plan;
    basis = fresh;
  }
  throw new AppError('mapping.concurrent-change-unresolved', { details: { userId, attempts: remerges } });
}
