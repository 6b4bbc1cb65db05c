/**
 * Execute one enrollment step against Graph: GET → merge → refuse before sending → PATCH → group → re-read →
 * re-merge on a concurrent change. Every step starts from a fresh GET, so running it again (retry, replay after a
 * crash) finds the work already done and changes nothing.
 */
import {
  buildCertificateUserIdsLookups,
  certificateUserIdsOf,
  findConflicts,
  planCardRemoval,
  planSyncedUserMapping,
  remergeAfterConcurrentChange,
  verifyAfterWrite,
} from '../../../shared/enrollment';
import type { DirectoryUser, MappingConflict, MappingLimits, MappingWritePlan } from '../../../shared/enrollment';
import { AppError } from '../../../shared/errors';
import type { ResolvedCard } from './card';
import type { Directory, X509Config } from './directory';
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
};

/** Shared inputs of a step. */
export type StepContext = {
  directory: Directory;
  /** The configured CBA group (settings), or null to use the group the x509 method targets. */
  configuredGroupId: string | null;
  limits?: MappingLimits;
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
  const [user, x509] = await Promise.all([ctx.directory.getUser(userId), ctx.directory.getX509Config()]);
  const groupId = ctx.configuredGroupId ?? x509.targetGroupId;
  const common = { card, user, x509, isRenewal, groupId, ...(ctx.limits === undefined ? {} : { limits: ctx.limits }) };
  const draft = buildWritePlan({ ...common, conflicts: [] });
  const conflicts = draft.view.writePath === 'graph' ? await lookupConflicts(ctx.directory, draft.chosen, user.id) : [];
  return { plan: conflicts.length === 0 ? draft : buildWritePlan({ ...common, conflicts }), x509, groupId, user };
}

/** Write the card's mapping on the user (or explain the synced-user path). */
export async function executeWrite(
  ctx: StepContext,
  card: ResolvedCard,
  userId: string,
  isRenewal: boolean,
): Promise<StepResult> {
  const { plan, groupId, user } = await prepareWrite(ctx, card, userId, isRenewal);
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
    };
  }
  if (plan.view.refusal !== null || plan.write === null) {
    const refusal = plan.view.refusal;
    throw new AppError(refusal?.code ?? 'internal', { details: { ...(refusal?.details ?? {}), userId } });
  }
  let write: MappingWritePlan = plan.write;
  const firstPlan = plan.write;
  let addedToGroup: boolean | null = null;
  for (let attempt = 0; ; attempt++) {
    if (!write.unchanged) {
      try {
        await ctx.directory.writeMapping(userId, write.next);
      } catch (error) {
        throw explainWriteFailure(error, { userId, values: plan.chosen });
      }
    }
    if (addedToGroup === null && groupId !== null) {
      try {
        addedToGroup = await ctx.directory.addToGroup(groupId, userId);
      } catch (error) {
        throw explainWriteFailure(error, { userId });
      }
    }
    const reread = await ctx.directory.getUser(userId);
    const fresh = certificateUserIdsOf(reread);
    const verdict = verifyAfterWrite(write, fresh);
    if (verdict.status === 'ok') {
      const changed = !firstPlan.unchanged || attempt > 0;
      return {
        status: changed ? 'written' : 'unchanged',
        user: reread,
        certificateUserIds: fresh,
        added: firstPlan.added,
        removed: firstPlan.removed,
        addedToGroup,
        groupId,
        remerges: attempt,
        altSecurityIdentities: [],
      };
    }
    // Another agent wrote between our GET and our PATCH: merge again on what is there now, never on our stale list.
    const again = remergeAfterConcurrentChange({
      current: fresh,
      fresh,
      toAdd: plan.chosen,
      previousCardValues: plan.previous,
      attempt: attempt + 1,
      ...(ctx.limits === undefined ? {} : { limit: ctx.limits }),
    });
    if (!again.ok) {
      throw new AppError(again.refusal.code, { details: { ...again.refusal.details, userId } });
    }
    write = again.plan;
  }
}

/** Remove the card's values from the user (lost, stolen, replaced card). */
export async function executeRemove(ctx: StepContext, card: ResolvedCard, userId: string): Promise<StepResult> {
  const user = await ctx.directory.getUser(userId);
  const current = certificateUserIdsOf(user);
  const first = planCardRemoval({ current, card: card.values, reason: 'other' });
  const removedValues = first.removed.map((r) => r.value);
  const result = (
    status: StepResult['status'],
    reread: DirectoryUser,
    ids: string[],
    remerges: number,
  ): StepResult => ({
    status,
    user: reread,
    certificateUserIds: ids,
    added: [],
    removed: removedValues,
    addedToGroup: null,
    groupId: null,
    remerges,
    altSecurityIdentities: [],
  });
  if (user.onPremisesSyncEnabled === true) {
    // Synced users: the values go away in Active Directory; show which ones (never PATCH).
    const synced = planSyncedUserMapping({
      samAccountNameOrUpn: user.onPremisesUserPrincipalName ?? user.userPrincipalName ?? user.id,
      values: removedValues,
    });
    return { ...result('synced-user', user, current, 0), altSecurityIdentities: synced.values.map((v) => v.value) };
  }
  if (first.unchanged) {
    return result('unchanged', user, current, 0);
  }
  let plan = first;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await ctx.directory.writeMapping(userId, plan.next);
    } catch (error) {
      throw explainWriteFailure(error, { userId });
    }
    const reread = await ctx.directory.getUser(userId);
    const fresh = certificateUserIdsOf(reread);
    const verdict = verifyAfterWrite({ next: plan.next, added: [], removed: removedValues }, fresh);
    if (verdict.status === 'ok') {
      return result('removed', reread, fresh, attempt);
    }
    plan = planCardRemoval({ current: fresh, card: card.values, reason: 'other' });
  }
  throw new AppError('mapping.concurrent-change-unresolved', { details: { userId, attempts: 3 } });
}
