/**
 * Synced users (`onPremisesSyncEnabled`): Graph refuses writes to `certificateUserIds`, only Entra Connect can
 * set it. Instead of a PATCH, produce the Active Directory `altSecurityIdentities` values and the sync rule to add.
 *
 * Evidence (NOTES.md): Entra Connect maps `altSecurityIdentities` → `certificateUserIds` directly, so the AD string
 * must be the Entra string. The AD formats of KB5014754 and MS-PKCA §3.1.5.2.1 use the same tags, the same
 * root-first DN order and the same reversed serial, so the values computed by `shared/mapping` serve both.
 */
import type { MappingForm } from '../mapping';
import type { DirectoryUser } from './user';
import { formOfValue } from './values';

/** How a user's mapping gets written. */
export type WritePath = 'graph-patch' | 'entra-connect';

/** Synced users are written through Entra Connect, cloud-only users through a Graph PATCH. */
export function writePathFor(user: Pick<DirectoryUser, 'onPremisesSyncEnabled'>): WritePath {
  return user.onPremisesSyncEnabled === true ? 'entra-connect' : 'graph-patch';
}

/** KB5014754 strength of each form when the domain controller itself uses the value (PKINIT smart-card logon). */
export const AD_MAPPING_STRENGTH: Readonly<Record<MappingForm, 'strong' | 'weak' | 'not-used-by-ad'>> = {
  // AD matches the SAN UPN against userPrincipalName, not an altSecurityIdentities tag: the value is for Entra only.
  PrincipalName: 'not-used-by-ad',
  RFC822Name: 'weak',
  IssuerAndSubject: 'weak',
  Subject: 'weak',
  SKI: 'strong',
  SHA1PublicKey: 'strong',
  IssuerAndSerialNumber: 'strong',
};

/** One value to add to `altSecurityIdentities`. */
export type AltSecurityIdentity = {
  form: MappingForm;
  value: string;
  adStrength: (typeof AD_MAPPING_STRENGTH)[MappingForm];
};

/** What the desk shows for a synced user. */
export type SyncedUserPlan = {
  writePath: 'entra-connect';
  values: AltSecurityIdentity[];
  /** PowerShell (RSAT ActiveDirectory module) an AD admin can run; single quotes doubled. */
  powershell: string;
  /** Entra Connect configuration needed once (Metaverse attribute + inbound and outbound rules). */
  entraConnect: {
    metaverseAttribute: string;
    inboundRule: string;
    outboundRule: string;
    /** Expression filtering synced values to the forms the tenant binds. */
    outboundExpression: string;
  };
  warnings: ('more-than-five-values' | 'value-over-1024' | 'weak-in-ad')[];
};

/** Values synced per user (Entra doc: "5 or fewer values in their altSecurityIdentities"). */
export const SYNCED_MAX_VALUES = 5;

function psQuote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** Substring that identifies a form in an Entra Connect `InStr` test (`<SR>` and `<S>` follow the issuer). */
const SYNC_NEEDLES: Readonly<Record<MappingForm, string>> = {
  PrincipalName: 'X509:<PN>',
  RFC822Name: 'X509:<RFC822>',
  IssuerAndSubject: '<S>',
  Subject: 'X509:<S>',
  SKI: 'X509:<SKI>',
  SHA1PublicKey: 'X509:<SHA1-PUKEY>',
  IssuerAndSerialNumber: '<SR>',
};

/**
 * Plan the `altSecurityIdentities` values for chosen card values (never a PATCH).
 *
 * `existingAdValues` are those already on the AD account when known, to warn about the five-value sync limit.
 */
export function planSyncedUserMapping(input: {
  samAccountNameOrUpn: string;
  values: readonly string[];
  existingAdValues?: readonly string[];
  boundForms?: readonly MappingForm[];
}): SyncedUserPlan {
  const values = input.values.flatMap((value) => {
    const form = formOfValue(value);
    return form === null ? [] : [{ form, value, adStrength: AD_MAPPING_STRENGTH[form] }];
  });
  const warnings: SyncedUserPlan['warnings'] = [];
  const existing = input.existingAdValues ?? [];
  const total = new Set([...existing, ...values.map((v) => v.value)]).size;
  if (total > SYNCED_MAX_VALUES) {
    warnings.push('more-than-five-values');
  }
  if (values.some((v) => v.value.length > 1024)) {
    warnings.push('value-over-1024');
  }
  if (values.some((v) => v.adStrength === 'weak')) {
    warnings.push('weak-in-ad');
  }
  const list = values.map((v) => psQuote(v.value)).join(',');
  const powershell = `Set-ADUser -Identity ${psQuote(input.samAccountNameOrUpn)} -Add @{altSecurityIdentities=@(${list})}`;
  const forms = input.boundForms ?? [...new Set(values.map((v) => v.form))];
  const tests = forms.map((f) => `InStr($item, "${SYNC_NEEDLES[f]}")`);
  const condition =
    tests.length === 0 ? '0' : tests.length === 1 ? (tests[0] ?? '0') : tests.reduce((a, b) => `BitOr(${a},${b})`);
  return {
    writePath: 'entra-connect',
    values,
    powershell,
    entraConnect: {
      metaverseAttribute: 'alternativeSecurityId (person, String (non-indexable), multi-valued)',
      inboundRule: 'In from AD - altSecurityIdentities: altSecurityIdentities → alternativeSecurityId (direct)',
      outboundRule: 'Out to Microsoft Entra ID - certificateUserIds: alternativeSecurityId → certificateUserIds',
      outboundExpression: `IIF(IsPresent([alternativeSecurityId]),Where($item,[alternativeSecurityId],${condition}>0),[alternativeSecurityId])`,
    },
    warnings,
  };
}
