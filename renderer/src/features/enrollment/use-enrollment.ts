import { useCallback, useState } from 'react';
import type {
  CertificateSource,
  EnrollmentOutcome,
  EnrollmentPlan,
  FindCandidatesOutput,
  RemovalPlanView,
  RemovalReason,
} from '../../../../shared/contract/enrollment';
import { toContractError } from '../../../../shared/contract/client';
import type { ContractError } from '../../../../shared/contract/envelope';
import { useClient } from '../../app/client-context';

/** Steps of one enrollment at the desk, for one card. */
export type EnrollmentFlow = {
  candidates: FindCandidatesOutput | null;
  selectedUserId: string | null;
  isRenewal: boolean;
  plan: EnrollmentPlan | null;
  outcome: EnrollmentOutcome | null;
  error: ContractError | null;
  busy: 'search' | 'plan' | 'apply' | null;
  /** Graph could not be reached (search or preview): the agent may queue the step by UPN. */
  isOffline: boolean;
  /** The removal preview waiting for confirmation, and its reason. */
  removal: RemovalPlanView | null;
  reason: RemovalReason;
  adNotedSeq: number | null;
};

/** Error codes meaning the network (Graph or the sign-in authority) is unreachable. */
export const OFFLINE_CODES: ReadonlySet<string> = new Set(['graph.offline', 'identity.offline']);

const initialFlow: EnrollmentFlow = {
  candidates: null,
  selectedUserId: null,
  isRenewal: false,
  plan: null,
  outcome: null,
  error: null,
  busy: null,
  isOffline: false,
  removal: null,
  reason: 'other',
  adNotedSeq: null,
};

/**
 * Store of the enrollment flow: search → choose → preview the exact plan → write (or queue) → outcome. Changing the
 * account or the renewal choice drops the preview, so what is written is always what was last previewed.
 */
export function useEnrollment(source: CertificateSource) {
  const client = useClient();
  const [flow, setFlow] = useState<EnrollmentFlow>(initialFlow);

  const run = useCallback(
    async <T>(busy: EnrollmentFlow['busy'], call: () => Promise<T>, onDone: (value: T) => Partial<EnrollmentFlow>) => {
      setFlow((previous) => ({ ...previous, busy, error: null }));
      try {
        const value = await call();
        setFlow((previous) => ({ ...previous, ...onDone(value), busy: null, isOffline: false }));
      } catch (error) {
        const contractError = toContractError(error);
        setFlow((previous) => ({
          ...previous,
          busy: null,
          error: contractError,
          isOffline: OFFLINE_CODES.has(contractError.code),
        }));
      }
    },
    [],
  );

  const search = (query: string) =>
    run(
      'search',
      () =>
        client.invoke('enrollment:find-candidates', query.trim() === '' ? { source } : { source, query: query.trim() }),
      (candidates) => ({
        candidates,
        selectedUserId: candidates.candidates[0]?.id ?? null,
        plan: null,
        outcome: null,
        removal: null,
      }),
    );

  const select = (userId: string) => {
    setFlow((previous) => ({ ...previous, selectedUserId: userId, plan: null, outcome: null, removal: null }));
  };

  const upnOf = (userId: string): string | undefined =>
    flow.candidates?.candidates.find((c) => c.id === userId)?.userPrincipalName;

  const setRenewal = (isRenewal: boolean) => {
    setFlow((previous) => ({ ...previous, isRenewal, plan: null }));
  };

  const preview = () => {
    const userId = flow.selectedUserId;
    if (userId === null) {
      return Promise.resolve();
    }
    return run(
      'plan',
      () => client.invoke('enrollment:plan', { source, userId, isRenewal: flow.isRenewal }),
      (plan) => ({ plan, outcome: null }),
    );
  };

  const apply = () => {
    const userId = flow.selectedUserId;
    if (userId === null) {
      return Promise.resolve();
    }
    return run(
      'apply',
      () => {
        const upn = upnOf(userId);
        return client.invoke('enrollment:apply', {
          source,
          userId,
          isRenewal: flow.isRenewal,
          ...(upn === undefined ? {} : { userPrincipalName: upn }),
        });
      },
      (outcome) => ({ outcome, plan: null }),
    );
  };

  /** Offline: queue the write for a user known only by UPN (resolved, planned and verified on replay). */
  const queueOffline = (upn: string) => {
    const trimmed = upn.trim();
    if (trimmed === '') {
      return Promise.resolve();
    }
    return run(
      'apply',
      () =>
        client.invoke('enrollment:apply', {
          source,
          userId: trimmed,
          userPrincipalName: trimmed,
          isRenewal: flow.isRenewal,
        }),
      (outcome) => ({ outcome, plan: null }),
    );
  };

  const setReason = (reason: RemovalReason) => {
    setFlow((previous) => ({ ...previous, reason, removal: null }));
  };

  /** Preview the removal of this card's values from the chosen account. */
  const previewRemoval = () => {
    const userId = flow.selectedUserId;
    if (userId === null) {
      return Promise.resolve();
    }
    return run(
      'plan',
      () => client.invoke('enrollment:plan-removal', { source, userId, reason: flow.reason }),
      (removal) => ({ removal, plan: null, outcome: null }),
    );
  };

  /** Remove after confirmation (or queue the removal offline). */
  const remove = () => {
    const userId = flow.selectedUserId;
    if (userId === null) {
      return Promise.resolve();
    }
    const upn = upnOf(userId);
    return run(
      'apply',
      () =>
        client.invoke('enrollment:remove', {
          source,
          userId,
          reason: flow.reason,
          ...(upn === undefined ? {} : { userPrincipalName: upn }),
        }),
      (outcome) => ({ outcome, plan: null, removal: null }),
    );
  };

  const cancelRemoval = () => {
    setFlow((previous) => ({ ...previous, removal: null }));
  };

  /** Journal that the AD instruction for a synced user was noted. */
  const noteAd = () => {
    const userId = flow.selectedUserId;
    if (userId === null) {
      return Promise.resolve();
    }
    return run(
      'apply',
      () => client.invoke('enrollment:note-ad-instruction', { source, userId, isRenewal: flow.isRenewal }),
      (noted) => ({ adNotedSeq: noted.journalSeq }),
    );
  };

  return {
    flow,
    search,
    select,
    setRenewal,
    preview,
    apply,
    queueOffline,
    setReason,
    previewRemoval,
    remove,
    cancelRemoval,
    noteAd,
  };
}
