/**
 * Which `certificateUserIds` forms the tenant's x509 method will actually match, and which of this card's values to
 * write (psc-checklist §2.3 checks 16–17 and 23).
 */
import type { CertificateUserBinding, X509MethodConfiguration } from './bindings-schema';
import { MAPPING_FORMS, type CertificateUserIds, type MappingForm } from '../mapping';

/**
 * Graph `x509CertificateField` → our form. The first four are documented; the last three are the portal's options,
 * spelled as the portal names them (psc-checklist §6 open point 1: confirm by reading back a portal-configured tenant).
 */
export const FIELD_TO_FORM: Readonly<Record<string, MappingForm>> = {
  PrincipalName: 'PrincipalName',
  RFC822Name: 'RFC822Name',
  SubjectKeyIdentifier: 'SKI',
  SHA1PublicKey: 'SHA1PublicKey',
  IssuerAndSerialNumber: 'IssuerAndSerialNumber',
  IssuerAndSubject: 'IssuerAndSubject',
  Subject: 'Subject',
};

/**
 * Bindings a tenant has when never configured (as encoded by terraform-provider-microsoft365wp; psc-checklist #16):
 * only SKI reaches `certificateUserIds`.
 */
export const DEFAULT_BINDINGS: readonly CertificateUserBinding[] = [
  { x509CertificateField: 'PrincipalName', userProperty: 'userPrincipalName', priority: 1, trustAffinityLevel: 'low' },
  { x509CertificateField: 'RFC822Name', userProperty: 'userPrincipalName', priority: 2, trustAffinityLevel: 'low' },
  {
    x509CertificateField: 'SubjectKeyIdentifier',
    userProperty: 'certificateUserIds',
    priority: 3,
    trustAffinityLevel: 'high',
  },
];

/** A binding that targets `certificateUserIds`, resolved to a form. */
export type EffectiveBinding = { form: MappingForm; priority: number; affinity: 'low' | 'high' };

/** Checklist ids (psc-checklist §2.3) an explanation links to. */
export type ChecklistId = 'cba-username-bindings' | 'cba-affinity' | 'cert-user-ids';

/** Why a value is or is not written, for the desk and the report. */
export type BindingExplanation = {
  code:
    | 'bindings.none-to-certificate-user-ids'
    | 'bindings.form-not-bound'
    | 'bindings.card-lacks-form'
    | 'bindings.fallback-form'
    | 'bindings.affinity-too-low'
    | 'bindings.low-affinity-skipped'
    | 'bindings.multiple-low-affinity'
    | 'bindings.ambiguous-form'
    | 'bindings.risky-form'
    | 'bindings.unknown-field'
    | 'bindings.defaults-assumed';
  severity: 'error' | 'warning' | 'info';
  checkId: ChecklistId;
  details: Record<string, unknown>;
};

function bindingsOf(config: X509MethodConfiguration): {
  bindings: readonly CertificateUserBinding[];
  assumed: boolean;
} {
  const configured = config.certificateUserBindings ?? [];
  return configured.length === 0
    ? { bindings: DEFAULT_BINDINGS, assumed: true }
    : { bindings: configured, assumed: false };
}

/**
 * Bindings that look values up in `certificateUserIds`, by priority. A binding without `trustAffinityLevel` gets
 * the form's documented affinity.
 */
export function effectiveBindings(config: X509MethodConfiguration): {
  bindings: EffectiveBinding[];
  explanations: BindingExplanation[];
} {
  const { bindings, assumed } = bindingsOf(config);
  const explanations: BindingExplanation[] = [];
  if (assumed) {
    explanations.push({
      code: 'bindings.defaults-assumed',
      severity: 'info',
      checkId: 'cba-username-bindings',
      details: {},
    });
  }
  const out: EffectiveBinding[] = [];
  for (const b of [...bindings].sort((x, y) => x.priority - y.priority)) {
    const field = b.x509CertificateField ?? '';
    const form = FIELD_TO_FORM[field];
    if (form === undefined) {
      explanations.push({
        code: 'bindings.unknown-field',
        severity: 'warning',
        checkId: 'cba-username-bindings',
        details: { field },
      });
      continue;
    }
    if (b.userProperty !== 'certificateUserIds') {
      continue;
    }
    const level =
      b.trustAffinityLevel === 'low' || b.trustAffinityLevel === 'high'
        ? b.trustAffinityLevel
        : MAPPING_FORMS[form].affinity;
    if (!out.some((o) => o.form === form)) {
      out.push({ form, priority: b.priority, affinity: level });
    }
  }
  const lows = out.filter((b) => b.affinity === 'low');
  if (lows.length > 1) {
    // "CBA is only as secure as your lowest affinity binding": more than one low binding widens the attack surface.
    explanations.push({
      code: 'bindings.multiple-low-affinity',
      severity: 'warning',
      checkId: 'cba-username-bindings',
      details: { forms: lows.map((b) => b.form) },
    });
  }
  return { bindings: out, explanations };
}

/** The forms the tenant will match against `certificateUserIds`, by binding priority. */
export function matchableForms(config: X509MethodConfiguration): MappingForm[] {
  return effectiveBindings(config).bindings.map((b) => b.form);
}

/** Fold a DN for comparison: RDN order, spaces around separators and case do not matter (formats vary by tool). */
function foldDn(dn: string): string {
  return dn
    .split(',')
    .map((rdn) =>
      rdn
        .trim()
        .toLowerCase()
        .replace(/\s*=\s*/, '='),
    )
    .filter((rdn) => rdn !== '')
    .sort()
    .join(',');
}

/**
 * Affinity the tenant requires for this card: an `issuerSubject` rule naming the card's issuer wins over the
 * default (policy-OID rules apply when one of the card's policies matches).
 */
export function requiredAffinityFor(
  config: X509MethodConfiguration,
  card: { issuerDn: string; policyOids: readonly string[] },
): 'low' | 'high' {
  const mode = config.authenticationModeConfiguration;
  const rules = mode?.rules ?? [];
  const issuer = foldDn(card.issuerDn);
  const matching = rules.filter((r) => {
    const type = r.x509CertificateRuleType;
    if (type === 'issuerSubject') {
      return foldDn(r.identifier ?? r.issuerSubjectIdentifier ?? '') === issuer;
    }
    if (type === 'policyOID') {
      return card.policyOids.includes(r.identifier ?? r.policyOidIdentifier ?? '');
    }
    return false;
  });
  const levels = matching.map((r) => r.x509CertificateRequiredAffinityLevel);
  if (levels.includes('high')) {
    return 'high';
  }
  if (levels.includes('low')) {
    return 'low';
  }
  return mode?.x509CertificateDefaultRequiredAffinityLevel === 'high' ? 'high' : 'low';
}

/** A value chosen for writing. */
export type ChosenValue = { form: MappingForm; value: string; affinity: 'low' | 'high'; priority: number };

/** Options of `chooseValuesToWrite`. */
export type ChooseOptions = {
  /** Write only high-affinity values (the tenant or a rule requires them). */
  requireHighAffinity?: boolean;
  /** Forms wanted, in order; default: the recommended ones (PrincipalName + SKI for CPx). */
  preferredForms?: readonly MappingForm[];
};

const RECOMMENDED: readonly MappingForm[] = (Object.keys(MAPPING_FORMS) as MappingForm[]).filter(
  (f) => MAPPING_FORMS[f].recommended,
);

/**
 * Choose the card values to write: the preferred forms the tenant's bindings match; if none, the other bound forms
 * (safe ones first); and explanations, with the checklist item to open, when the bindings cannot match this card.
 */
export function chooseValuesToWrite(
  values: CertificateUserIds,
  config: X509MethodConfiguration,
  options: ChooseOptions = {},
): { values: ChosenValue[]; explanations: BindingExplanation[] } {
  const { bindings, explanations } = effectiveBindings(config);
  const high = options.requireHighAffinity === true;
  const preferred = options.preferredForms ?? RECOMMENDED;
  if (bindings.length === 0) {
    explanations.push({
      code: 'bindings.none-to-certificate-user-ids',
      severity: 'error',
      checkId: 'cba-username-bindings',
      details: {},
    });
    return { values: [], explanations };
  }
  const usable = bindings.filter((b) => values[b.form] !== null && (!high || b.affinity === 'high'));
  for (const form of preferred) {
    const bound = bindings.find((b) => b.form === form);
    if (bound === undefined) {
      explanations.push({
        code: 'bindings.form-not-bound',
        severity: 'info',
        checkId: 'cba-username-bindings',
        details: { form },
      });
    } else if (high && bound.affinity === 'low') {
      explanations.push({
        code: 'bindings.low-affinity-skipped',
        severity: 'info',
        checkId: 'cba-affinity',
        details: { form },
      });
    } else if (values[form] === null) {
      explanations.push({
        code: 'bindings.card-lacks-form',
        severity: 'info',
        checkId: 'cert-user-ids',
        details: { form },
      });
    }
  }
  let chosen = usable.filter((b) => preferred.includes(b.form));
  if (chosen.length === 0) {
    // Nothing preferred is matchable: fall back to what the tenant binds, non-risky and unambiguous first.
    const rank = (f: MappingForm): number => (MAPPING_FORMS[f].risky ? 2 : MAPPING_FORMS[f].ambiguous ? 1 : 0);
    const fallback = [...usable].sort((a, b) => rank(a.form) - rank(b.form) || a.priority - b.priority)[0];
    chosen = fallback === undefined ? [] : [fallback];
    if (fallback !== undefined) {
      explanations.push({
        code: 'bindings.fallback-form',
        severity: 'warning',
        checkId: 'cba-username-bindings',
        details: { form: fallback.form },
      });
    }
  }
  for (const b of chosen) {
    if (MAPPING_FORMS[b.form].ambiguous) {
      explanations.push({
        code: 'bindings.ambiguous-form',
        severity: 'warning',
        checkId: 'cert-user-ids',
        details: { form: b.form },
      });
    }
    if (MAPPING_FORMS[b.form].risky) {
      explanations.push({
        code: 'bindings.risky-form',
        severity: 'warning',
        checkId: 'cert-user-ids',
        details: { form: b.form },
      });
    }
  }
  if (chosen.length === 0) {
    explanations.push({
      code: high ? 'bindings.affinity-too-low' : 'bindings.none-to-certificate-user-ids',
      severity: 'error',
      checkId: high ? 'cba-affinity' : 'cba-username-bindings',
      details: { boundForms: bindings.map((b) => b.form), requireHighAffinity: high },
    });
  }
  return {
    values: chosen.map((b) => ({
      form: b.form,
      value: values[b.form] ?? '',
      affinity: b.affinity,
      priority: b.priority,
    })),
    explanations,
  };
}
