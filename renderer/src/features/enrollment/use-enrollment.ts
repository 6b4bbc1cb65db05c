import { useCallback, useState } from 'react';
import type {
  CertificateSource,
  EnrollmentOutcome,
  EnrollmentPlan,
  FindCandidatesOutput,
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
};

const initialFlow: EnrollmentFlow = {
  candidates: null,
  selectedUserId: null,
  isRenewal: false,
  plan: null,
  outcome: null,
  error: null,
  busy: null,
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
        setFlow((previous) => ({ ...previous, ...onDone(value), busy: null }));
      } catch (error) {
        setFlow((previous) => ({ ...previous, busy: null, error: toContractError(error) }));
      }
    },
    [],
  );

  const search = (query: string) =>
    run(
      'search',
      () =>
        client.invoke('enrollment:find-candidates', query.trim() === '' ? { source } : { source, query: query.trim() }),
      (candidates) => ({ candidates, selectedUserId: candidates.candidates[0]?.id ?? null, plan: null, outcome: null }),
    );

  const select = (userId: string) => {
    setFlow((previous) => ({ ...previous, selectedUserId: userId, plan: null, outcome: null }));
  };

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
      () => client.invoke('enrollment:apply', { source, userId, isRenewal: flow.isRenewal }),
      (outcome) => ({ outcome, plan: null }),
    );
  };

  const remove = () => {
    const userId = flow.selectedUserId;
    if (userId === null) {
      return Promise.resolve();
    }
    return run(
      'apply',
      () => client.invoke('enrollment:remove', { source, userId }),
      (outcome) => ({ outcome, plan: null }),
    );
  };

  return { flow, search, select, setRenewal, preview, apply, remove };
}
