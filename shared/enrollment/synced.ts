/**
 * Synced users (`onPremisesSyncEnabled`): Graph refuses writes to `certificateUserIds`, only Entra Connect can
 * set it. Instead of a PATCH, produce the Active Directory `altSecurityIdentities` values and the sync rule to add.
 *
 * Evidence (NOTES.md): Entra Connect maps `altSecurityIdentities` → `certificateUserIds` directly, so the AD string
 * must be the Entra string. The AD formats of KB5014754 and MS-PKCA §3.1.5.2.1 use the same tags, the same
 * root-first DN order and the same reversed serial, so the values computed by `shared/mapping` serve both.
 */
import type { MappingForm } from '../mapping';
import type { DirectoryUser, OnPremisesIdentity } from './user';
import { formOfValue, sameMappingValue } from './values';

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
  /** Values of the holder's previous card to take off `altSecurityIdentities` (confirmed renewal). */
  removeValues: string[];
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

/**
 * A PowerShell single-quoted string. Inside one, only quote characters are special, and PowerShell takes the
 * typographic ones (‘ ’ ‚ ‛, common in names pasted from a word processor) for `'` too: each is doubled.
 */
export function psQuote(text: string): string {
  return `'${text.replace(/['\u2018\u2019\u201A\u201B]/g, (q) => q + q)}'`;
}

/** RFC 4515 escaping of a value inside an LDAP filter (`*`, `(`, `)`, `\` and NUL as `\xx`). */
export function ldapFilterValue(text: string): string {
  // eslint-disable-next-line no-control-regex -- NUL must be escaped in an LDAP filter value (RFC 4515 §3)
  return text.replace(/[\\*()\u0000]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** How the command names the AD account. */
export type AdAccountSelector = 'distinguished-name' | 'sam-account-name' | 'user-principal-name' | 'unknown';

/**
 * The start of a `Set-ADUser` line selecting the account. `-Identity` takes a distinguished name, GUID, SID or
 * sAMAccountName, never a UPN. The DN comes first: a sAMAccountName is unique only within its domain, so in a
 * multi-domain forest it could name a homonym in the administrator's domain, where a DN from another domain fails
 * instead. With neither, the account is found by its UPN and piped in. With nothing at all, a placeholder PowerShell
 * refuses to run (`<` is an operator), rather than a command that could hit another account.
 */
export function adAccountCommand(identity: OnPremisesIdentity): { selector: AdAccountSelector; command: string } {
  if (identity.distinguishedName !== null) {
    return { selector: 'distinguished-name', command: `Set-ADUser -Identity ${psQuote(identity.distinguishedName)}` };
  }
  if (identity.samAccountName !== null) {
    return { selector: 'sam-account-name', command: `Set-ADUser -Identity ${psQuote(identity.samAccountName)}` };
  }
  if (identity.userPrincipalName !== null) {
    const filter = `(userPrincipalName=${ldapFilterValue(identity.userPrincipalName)})`;
    return { selector: 'user-principal-name', command: `Get-ADUser -LDAPFilter ${psQuote(filter)} | Set-ADUser` };
  }
  return { selector: 'unknown', command: 'Set-ADUser -Identity <sAMAccountName>' };
}

function adList(values: readonly string[]): string {
  return `@{altSecurityIdentities=@(${values.map(psQuote).join(',')})}`;
}

/**
 * The `Set-ADUser` line changing `altSecurityIdentities`: `-Remove` then `-Add` (Set-ADUser applies Remove before Add
 * whatever their order on the line); null when there is nothing to change.
 */
export function setAdUserCommand(
  identity: OnPremisesIdentity,
  change: { add: readonly string[]; remove: readonly string[] },
): string | null {
  if (change.add.length === 0 && change.remove.length === 0) {
    return null;
  }
  const parts = [adAccountCommand(identity).command];
  if (change.remove.length > 0) {
    parts.push(`-Remove ${adList(change.remove)}`);
  }
  if (change.add.length > 0) {
    parts.push(`-Add ${adList(change.add)}`);
  }
  return parts.join(' ');
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
 * `existingAdValues` are those already on the AD account when known, to warn about the five-value sync limit;
 * `removeValues` those of the holder's previous card on a confirmed renewal (exact strings as synced).
 */
export function planSyncedUserMapping(input: {
  identity: OnPremisesIdentity;
  values: readonly string[];
  removeValues?: readonly string[];
  existingAdValues?: readonly string[];
  boundForms?: readonly MappingForm[];
}): SyncedUserPlan {
  const values = input.values.flatMap((value) => {
    const form = formOfValue(value);
    return form === null ? [] : [{ form, value, adStrength: AD_MAPPING_STRENGTH[form] }];
  });
  const warnings: SyncedUserPlan['warnings'] = [];
  const removeValues = (input.removeValues ?? []).filter((r) => !values.some((v) => sameMappingValue(v.value, r)));
  const existing = (input.existingAdValues ?? []).filter((e) => !removeValues.some((r) => sameMappingValue(r, e)));
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
  const powershell =
    setAdUserCommand(input.identity, { add: values.map((v) => v.value), remove: removeValues }) ??
    adAccountCommand(input.identity).command;
  const forms = input.boundForms ?? [...new Set(values.map((v) => v.form))];
  const tests = forms.map((f) => `InStr($item, "${SYNC_NEEDLES[f]}")`);
  const condition =
    tests.length === 0 ? '0' : tests.length === 1 ? (tests[0] ?? '0') : tests.reduce((a, b) => `BitOr(${a},${b})`);
  return {
    writePath: 'entra-connect',
    values,
    removeValues,
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
