/**
 * What psc-checklist.md §2 reads from Graph, fetched through the app's Graph service as a tenant's administrator:
 * one snapshot per tenant, then the checklist's pass conditions as plain predicates over it (test oracle for the
 * seeded tenants; the app's own check catalog is separate).
 */
import type { GraphService } from '../../../electron/services/graph/index';
import { inspectCertificate } from '../../../shared/certificates';
import type { DistinguishedName } from '../../../shared/certificates';

type Obj = Record<string, unknown>;
type List = { value: Obj[] };

/** One trust-store CA with what its certificate says. */
export type StoreCa = Obj & { subject: string; ski: string | null; selfSigned: boolean };

/** Everything the predicates read. */
export type ChecklistSnapshot = {
  organization: Obj[];
  skus: Obj[];
  securityDefaults: Obj;
  methodsPolicy: Obj;
  x509: Obj;
  fido2: Obj;
  caPolicies: Obj[];
  strengths: Obj[];
  fa01Configurations: Obj[];
  psc: { sp: Obj; grants: Obj[]; assignedTo: Obj[]; assignments: Obj[] } | null;
  graphSpId: string | undefined;
  cas: StoreCa[];
  users: Obj[];
  groups: Obj[];
  membersOf: Map<string, string[]>;
  breakGlass: string[];
};

const shortNames: Record<string, string> = { '2.5.4.6': 'C', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.3': 'CN' };

/** `C=FR,O=…,CN=…` (ASN.1 order, no spaces): how the x509 rules name an issuer. */
export function dnString(name: DistinguishedName): string {
  return name.map((rdn) => rdn.map((a) => `${shortNames[a.oid] ?? a.oid}=${a.value}`).join('+')).join(',');
}

function storeCa(ca: Obj): StoreCa {
  const der = Buffer.from(typeof ca.certificate === 'string' ? ca.certificate : '', 'base64');
  const info = inspectCertificate(new Uint8Array(der));
  const subject = dnString(info.subject);
  return { ...ca, subject, ski: info.skiHex?.toUpperCase() ?? null, selfSigned: subject === dnString(info.issuer) };
}

/** Reads a tenant as the checklist does (v1.0, `Prefer: include-unknown-enum-members` is the service's default). */
export async function readChecklistSnapshot(graph: GraphService, pscAppId: string): Promise<ChecklistSnapshot> {
  const get = <T>(path: string) => graph.get<T>(path);
  const conf = (id: string) =>
    get<Obj>(`/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/${id}`);
  const organization = (await get<List>('/organization?$select=id,displayName,tenantType,verifiedDomains')).value;
  const strengths = (await get<List>('/policies/authenticationStrengthPolicies')).value;
  const fa01 = strengths.find(
    (s) => s.policyType === 'custom' && String(s.displayName).normalize('NFC') === 'FA01-ProSantéConnect',
  );
  const sp = await get<Obj>(`/servicePrincipals(appId='${pscAppId}')`).catch(() => null);
  const psc = sp
    ? {
        sp,
        grants: (await get<List>(`/servicePrincipals/${String(sp.id)}/oauth2PermissionGrants`)).value,
        assignedTo: (await get<List>(`/servicePrincipals/${String(sp.id)}/appRoleAssignedTo`)).value,
        assignments: (await get<List>(`/servicePrincipals/${String(sp.id)}/appRoleAssignments`)).value,
      }
    : null;
  const graphSp = await get<Obj>("/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')").catch(() => null);
  const pkis = (
    await get<List>(
      '/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations?$expand=certificateAuthorities',
    )
  ).value;
  const legacy = (await get<List>(`/organization/${String(organization[0]?.id)}/certificateBasedAuthConfiguration`))
    .value;
  const cas = [
    ...pkis.flatMap((p) => (Array.isArray(p.certificateAuthorities) ? (p.certificateAuthorities as Obj[]) : [])),
    ...legacy.flatMap((l) =>
      (Array.isArray(l.certificateAuthorities) ? (l.certificateAuthorities as Obj[]) : []).map((c) => ({
        ...c,
        certificateAuthorityType: c.isRootAuthority === true ? 'root' : 'intermediate',
      })),
    ),
  ].map(storeCa);
  const groups = (await get<List>('/groups')).value;
  const membersOf = new Map<string, string[]>();
  for (const g of groups) {
    const members = (await get<List>(`/groups/${String(g.id)}/members`)).value;
    membersOf.set(
      String(g.id),
      members.map((m) => String(m.id)),
    );
  }
  const bgGroup = groups.find((g) => g.displayName === 'GG-BreakGlass');
  return {
    organization,
    skus: (await get<List>('/subscribedSkus')).value,
    securityDefaults: await get<Obj>('/policies/identitySecurityDefaultsEnforcementPolicy'),
    methodsPolicy: await get<Obj>('/policies/authenticationMethodsPolicy'),
    x509: await conf('x509Certificate'),
    fido2: await conf('fido2'),
    caPolicies: (await get<List>('/identity/conditionalAccess/policies')).value,
    strengths,
    fa01Configurations: fa01
      ? (await get<List>(`/policies/authenticationStrengthPolicies/${String(fa01.id)}/combinationConfigurations`)).value
      : [],
    psc,
    graphSpId: typeof graphSp?.id === 'string' ? graphSp.id : undefined,
    cas,
    users: (await get<List>('/users?$select=id,userPrincipalName,onPremisesSyncEnabled,authorizationInfo')).value,
    groups,
    membersOf,
    breakGlass: bgGroup ? (membersOf.get(String(bgGroup.id)) ?? []) : [],
  };
}
