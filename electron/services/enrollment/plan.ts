/**
 * Turn what Graph returned (user, x509 configuration, reverse lookups) and the card into the plan the desk shows and
 * apply executes: values to write, merged list, synced-user instructions, refusals decided before anything is sent,
 * and the exact Graph requests.
 */
import type { Conflict, EnrollmentPlan } from '../../../shared/contract/enrollment';
import { isGuid } from '../../../shared/contract/schemas';
import {
  certificateUserIdsOf,
  chooseValuesToWrite,
  formOfValue,
  onPremisesIdentityOf,
  planMappingWrite,
  planSyncedUserMapping,
  requiredAffinityFor,
  sameMappingValue,
  writePathFor,
} from '../../../shared/enrollment';
import type {
  BindingExplanation,
  DirectoryUser,
  MappingConflict,
  MappingLimits,
  MappingWritePlan,
} from '../../../shared/enrollment';
import { formatEntraDn, MAPPING_FORM_ORDER } from '../../../shared/mapping';
import type { MappingForm } from '../../../shared/mapping';
import type { ResolvedCard } from './card';
import { certificateExplanations, certificateRefusal } from './cert-status';
import type { CertificateStatus } from './cert-status';
import type { X509Config } from './directory';
import { mappingBody, memberRefBody, memberRefUrl, userUrl } from './directory';

/** Forms whose value changes with every card (a renewal replaces them); PrincipalName survives renewals. */
const PER_CARD_FORMS: ReadonlySet<MappingForm> = new Set(['SKI', 'SHA1PublicKey', 'IssuerAndSerialNumber']);

/** A plan plus what apply needs to act on it. */
export type WritePlan = {
  view: EnrollmentPlan;
  /** Card values chosen for this tenant's bindings. */
  chosen: string[];
  /** Values of the holder's previous card replaced on a confirmed renewal. */
  previous: string[];
  /** The merged list to PATCH, null for synced users or a refusal. */
  write: MappingWritePlan | null;
};

/** Input of `buildWritePlan`. */
export type WritePlanInput = {
  card: ResolvedCard;
  user: DirectoryUser;
  x509: X509Config;
  conflicts: readonly MappingConflict[];
  isRenewal: boolean;
  groupId: string | null;
  limits?: MappingLimits;
  /** The card's validity and revocation now (absent: not checked, e.g. no trust store wired). */
  certificate?: CertificateStatus | undefined;
};

/** Contract shape of a conflict. */
export function toContractConflict(c: MappingConflict): Conflict {
  return { userId: c.userId, userPrincipalName: c.userPrincipalName ?? '', displayName: c.displayName, value: c.value };
}

function toExplanation(e: BindingExplanation): EnrollmentPlan['explanations'][number] {
  const form = e.details.form;
  return {
    code: e.code,
    severity: e.severity === 'error' ? 'blocking' : e.severity,
    checkId: e.checkId,
    form:
      typeof form === 'string' && (MAPPING_FORM_ORDER as readonly string[]).includes(form)
        ? (form as MappingForm)
        : null,
  };
}

function refusalView(r: {
  code: string;
  messageKey?: string;
  details: Readonly<Record<string, unknown>>;
}): EnrollmentPlan['refusal'] {
  return { code: r.code, messageKey: r.messageKey ?? `errors.${r.code}`, details: { ...r.details } };
}

/** Values on the user that belong to a previous card of the same holder: per-card forms this card replaces. */
export function previousCardValues(current: readonly string[], chosen: readonly string[]): string[] {
  const forms = new Set(chosen.map(formOfValue).filter((f): f is MappingForm => f !== null && PER_CARD_FORMS.has(f)));
  return current.filter((v) => {
    const form = formOfValue(v);
    return form !== null && forms.has(form) && !chosen.some((c) => sameMappingValue(c, v));
  });
}

/** Build the plan for writing this card's values on this user. */
export function buildWritePlan(input: WritePlanInput): WritePlan {
  const { card, user } = input;
  const required = requiredAffinityFor(input.x509.config, {
    issuerDn: formatEntraDn(card.info.issuer),
    policyOids: card.info.policies,
  });
  const choice = chooseValuesToWrite(card.values, input.x509.config, { requireHighAffinity: required === 'high' });
  const chosen = choice.values.map((v) => v.value);
  const current = certificateUserIdsOf(user);
  const conflicts = input.conflicts.map(toContractConflict);
  // Per-card values of another card on the account: replaced on a confirmed renewal, else kept and pointed out.
  const replaceable = previousCardValues(current, chosen);
  const base = {
    userId: user.id,
    userPrincipalName: user.userPrincipalName ?? user.id,
    values: choice.values.map((v) => ({ form: v.form, value: v.value })),
    explanations: [
      ...(input.certificate === undefined ? [] : certificateExplanations(input.certificate)),
      ...choice.explanations.map(toExplanation),
    ],
    conflicts,
    current,
    adInstruction: null,
    otherCardValues: input.isRenewal ? [] : replaceable,
  };
  const previous = input.isRenewal ? replaceable : [];
  const empty = { next: current, added: [], removed: [], altSecurityIdentities: [], requests: [] };
  // An expired, not-yet-valid or revoked card is refused first, whatever the account (synced users included).
  const unusable = input.certificate === undefined ? null : certificateRefusal(card.info, input.certificate);
  if (unusable !== null) {
    return {
      view: {
        ...base,
        ...empty,
        writePath: writePathFor(user) === 'entra-connect' ? 'entra-connect' : 'graph',
        refusal: refusalView(unusable),
      },
      chosen,
      previous,
      write: null,
    };
  }
  if (chosen.length === 0) {
    const refusal = { code: 'enrollment.no-matchable-binding', details: { checkId: 'cba-username-bindings' } };
    return {
      view: { ...base, ...empty, writePath: 'graph', refusal: refusalView(refusal) },
      chosen,
      previous,
      write: null,
    };
  }
  if (writePathFor(user) === 'entra-connect') {
    // A confirmed renewal takes the previous card's values off altSecurityIdentities in the same Set-ADUser line.
    const synced = planSyncedUserMapping({
      identity: onPremisesIdentityOf(user),
      values: chosen,
      removeValues: previous,
      existingAdValues: current,
    });
    return {
      view: {
        ...base,
        ...empty,
        writePath: 'entra-connect',
        removed: synced.removeValues,
        altSecurityIdentities: synced.values.map((v) => v.value),
        adInstruction: { powershell: synced.powershell, ...synced.entraConnect, warnings: [...synced.warnings] },
        refusal: null,
      },
      chosen,
      previous,
      write: null,
    };
  }
  // A group id that is not a GUID (settings saved before it was checked) would only fail at the group step, after
  // the PATCH: refuse before anything is sent so no enrollment is left half done.
  if (input.groupId !== null && !isGuid(input.groupId)) {
    const refusal = { code: 'enrollment.invalid-cba-group', details: { groupId: input.groupId.slice(0, 100) } };
    return {
      view: { ...base, ...empty, writePath: 'graph', refusal: refusalView(refusal) },
      chosen,
      previous,
      write: null,
    };
  }
  if (conflicts.length > 0) {
    const refusal = {
      code: 'enrollment.uniqueness-conflict',
      details: { conflicts: conflicts.map((c) => ({ userId: c.userId, userPrincipalName: c.userPrincipalName })) },
    };
    return {
      view: { ...base, ...empty, writePath: 'graph', refusal: refusalView(refusal) },
      chosen,
      previous,
      write: null,
    };
  }
  const merged = planMappingWrite({
    current,
    toAdd: chosen,
    previousCardValues: previous,
    ...(input.limits === undefined ? {} : { limit: input.limits }),
  });
  if (!merged.ok) {
    return {
      view: { ...base, ...empty, writePath: 'graph', refusal: refusalView(merged.refusal) },
      chosen,
      previous,
      write: null,
    };
  }
  const plan = merged.plan;
  const requests: EnrollmentPlan['requests'] = [{ method: 'GET', url: userUrl(user.id) }];
  if (!plan.unchanged) {
    requests.push({ method: 'PATCH', url: `/users/${user.id}`, body: mappingBody(plan.next) });
  }
  if (input.groupId !== null) {
    requests.push({ method: 'POST', url: memberRefUrl(input.groupId), body: memberRefBody(user.id) });
  }
  requests.push({ method: 'GET', url: userUrl(user.id) });
  return {
    view: {
      ...base,
      writePath: 'graph',
      next: plan.next,
      added: plan.added,
      removed: plan.removed,
      altSecurityIdentities: [],
      refusal: null,
      requests,
    },
    chosen,
    previous,
    write: plan,
  };
}
