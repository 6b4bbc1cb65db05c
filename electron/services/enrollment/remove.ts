/**
 * Removal of a card's mapping (lost, stolen, replaced) or of values picked on a user: the preview the desk confirms
 * and the step the queue runs. Both start from a fresh GET and the same plan, so a replay re-decides on what is
 * there now; values shared with another enrolled card of the same holder stay.
 */
import type { RemovalPlanView, RemovalReason } from '../../../shared/contract/enrollment';
import {
  certificateUserIdsOf,
  formOfValue,
  onPremisesIdentityOf,
  planDeskRemoval,
  setAdUserCommand,
  verifyAfterWrite,
} from '../../../shared/enrollment';
import type { DeskRemovalPlan, DirectoryUser } from '../../../shared/enrollment';
import { AppError } from '../../../shared/errors';
import type { ResolvedCard } from './card';
import { createWriteWaits, mappingBody, mayHaveApplied, userUrl } from './directory';
import { explainWriteFailure } from './errors';
import { addUnexpected, listDelta, readIds, settle } from './execute';
import type { StepContext, StepResult } from './execute';

/** What to remove: the card's values, or values picked on the user. */
export type RemovalSpec = {
  card?: ResolvedCard | undefined;
  values?: readonly string[] | undefined;
  reason: RemovalReason;
};

/** Attempts before giving up on a list another agent keeps changing. */
const MAX_ATTEMPTS = 3;

function planFor(current: readonly string[], spec: RemovalSpec): DeskRemovalPlan {
  return planDeskRemoval({ current, card: spec.card?.values, values: spec.values, reason: spec.reason });
}

/** The `altSecurityIdentities` values a synced user's removal takes off in Active Directory (exact strings). */
function syncedValues(removed: readonly string[]): string[] {
  return removed.filter((v) => formOfValue(v) !== null);
}

/** The removal preview for the desk (a GET; nothing is written). */
export async function previewRemoval(ctx: StepContext, userRef: string, spec: RemovalSpec): Promise<RemovalPlanView> {
  const { user, ids } = await readIds(ctx, userRef);
  const plan = planFor(ids, spec);
  const remove = plan.removed.map((r) => r.value);
  const synced = user.onPremisesSyncEnabled === true;
  const adValues = synced ? syncedValues(remove) : [];
  return {
    userId: user.id,
    userPrincipalName: user.userPrincipalName ?? user.id,
    writePath: synced ? 'entra-connect' : 'graph',
    current: ids,
    remove,
    kept: plan.kept.map((k) => ({ value: k.value, reason: k.reason })),
    next: plan.next,
    leavesNoMapping: plan.leavesNoMapping,
    oldCardStillMatches: plan.oldCardStillMatches,
    altSecurityIdentities: adValues,
    adPowershell: synced ? setAdUserCommand(onPremisesIdentityOf(user), { add: [], remove: adValues }) : null,
    requests:
      synced || plan.unchanged
        ? [{ method: 'GET', url: userUrl(user.id) }]
        : [
            { method: 'GET', url: userUrl(user.id) },
            { method: 'PATCH', url: `/users/${user.id}`, body: mappingBody(plan.next) },
            { method: 'GET', url: userUrl(user.id) },
          ],
  };
}

/**
 * Remove the values from the user: GET → plan → re-read right before the PATCH → PATCH → verify (re-plan).
 *
 * A throttled or failed PATCH is never resent as is: after the wait, the list is read again and the removal planned
 * on it. The result carries the last list read, never one a concurrent change made stale.
 */
export async function executeRemove(ctx: StepContext, userRef: string, spec: RemovalSpec): Promise<StepResult> {
  const { user, ids: current } = await readIds(ctx, userRef);
  const userId = user.id;
  const first = planFor(current, spec);
  const unexpected: StepResult['unexpected'] = { appeared: [], disappeared: [] };
  let removedValues = first.removed.map((r) => r.value);
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
    unexpected,
  });
  if (user.onPremisesSyncEnabled === true) {
    // Synced users: the values go away in Active Directory; show which ones (never PATCH).
    return { ...result('synced-user', user, current, 0), altSecurityIdentities: syncedValues(removedValues) };
  }
  if (first.unchanged) {
    return result('unchanged', user, current, 0);
  }
  const waits = createWriteWaits(ctx);
  let latest: { user: DirectoryUser; ids: string[] } = { user, ids: current };
  let plan = first;
  let needsRead = true;
  let patched = false;
  let remerges = 0;
  for (let round = 0; round < waits.maxRounds(MAX_ATTEMPTS); round++) {
    if (needsRead) {
      // Re-read right before the PATCH and re-plan on what is there now.
      const before = await readIds(ctx, userId);
      const delta = listDelta(latest.ids, before.ids);
      addUnexpected(unexpected, delta);
      if (delta.appeared.length > 0 || delta.disappeared.length > 0) {
        plan = planFor(before.ids, spec);
      }
      latest = before;
      needsRead = false;
    }
    if (plan.unchanged) {
      if (!patched) {
        removedValues = [];
      }
      return result(patched ? 'removed' : 'unchanged', latest.user, latest.ids, remerges);
    }
    try {
      await ctx.directory.writeMapping(userId, plan.next);
    } catch (error) {
      patched ||= mayHaveApplied(error);
      // Throttled or busy: wait, then read and plan again (the body we built is stale after a wait).
      await waits.afterFailedWrite(error, () => explainWriteFailure(error, { userId }));
      needsRead = true;
      continue;
    }
    patched = true;
    removedValues = [...new Set([...removedValues, ...plan.removed.map((r) => r.value)])];
    await settle(ctx);
    const reread = await ctx.directory.getUser(userId);
    const fresh = certificateUserIdsOf(reread);
    const removing = plan.removed.map((r) => r.value);
    const verdict = verifyAfterWrite({ next: plan.next, added: [], removed: removing, basis: latest.ids }, fresh);
    addUnexpected(unexpected, { appeared: verdict.foreign, disappeared: [] });
    latest = { user: reread, ids: fresh };
    if (verdict.status === 'ok') {
      return result('removed', reread, fresh, remerges);
    }
    addUnexpected(unexpected, { appeared: [], disappeared: verdict.missingKept });
    remerges++;
    if (remerges >= MAX_ATTEMPTS) {
      break;
    }
    plan = planFor(fresh, spec);
  }
  throw new AppError('mapping.concurrent-change-unresolved', { details: { userId, attempts: remerges } });
}
