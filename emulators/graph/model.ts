/**
 * The Graph emulator's tenant model: Graph-shaped JSON objects grouped per tenant, plain data so that a snapshot is
 * a deep copy and tests can assert on it.
 */

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A Graph entity: a JSON object with an id. */
export type Entity = { id: string; [key: string]: Json };

/** One tenant's directory and policies. */
export type TenantState = {
  id: string;
  domain: string;
  key: string;
  organization: Entity;
  subscribedSkus: Entity[];
  users: Entity[];
  /** Users generated on demand from their index (paging bench); never stored. */
  syntheticUserCount: number;
  groups: Entity[];
  /** Direct members per group id (object ids). */
  members: Record<string, string[]>;
  authenticationMethodsPolicy: Entity;
  authenticationMethodConfigurations: Entity[];
  pkiConfigurations: Entity[];
  /** PKI uploads still `running`, by container id (settled when the container is next read). */
  pkiUploads?: Record<string, { completesAt: number; uploadUrl: string; sha256FileHash: string }>;
  /** Legacy `organization/{id}/certificateBasedAuthConfiguration` (0 or 1 item). */
  legacyCertificateBasedAuthConfigurations: Entity[];
  conditionalAccessPolicies: Entity[];
  authenticationStrengthPolicies: Entity[];
  /** `combinationConfigurations` per strength id (FIDO2 AAGUID and x509 issuer restrictions). */
  authenticationCombinationConfigurations?: Record<string, Entity[]>;
  authenticationContextClassReferences: Entity[];
  servicePrincipals: Entity[];
  oauth2PermissionGrants: Entity[];
  appRoleAssignments: Entity[];
  securityDefaults: Entity;
  /** Limits treated as data (docs disagree: 4, 5 or 10; the seeds use Graph's current 10). */
  limits: {
    certificateUserIds: number;
    certificateUserIdLength: number;
    /** How long a PKI `.p7b` upload stays `running` (Graph: up to 30 minutes; default 1.5 s). */
    pkiUploadMs?: number;
  };
};

/** A `.p7b` file the emulator's "internet" serves to PKI uploads (SHA-256 of the file, uppercase hex). */
export type PublishedPkiFile = { readonly sha256: string; readonly certificates: readonly Uint8Array[] };

/** All tenants held by one emulator, and the files its PKI uploads can download (by URL). */
export type EmulatorState = { tenants: TenantState[]; publishedPkiFiles?: Map<string, PublishedPkiFile> };

/** Deep copy (snapshots are values, never shared references). */
export function cloneState<T>(value: T): T {
  return structuredClone(value);
}

/** Reads a string property. */
export function str(e: Entity, key: string): string | undefined {
  const v = e[key];
  return typeof v === 'string' ? v : undefined;
}

/** The `authorizationInfo.certificateUserIds` of a user (empty when absent). */
export function certificateUserIds(user: Entity): string[] {
  const info = user.authorizationInfo;
  if (info && typeof info === 'object' && !Array.isArray(info)) {
    const ids = info.certificateUserIds;
    if (Array.isArray(ids)) {
      return ids.filter((v): v is string => typeof v === 'string');
    }
  }
  return [];
}

/** The synthetic user number `index` of a tenant (deterministic). */
export function syntheticUser(tenant: TenantState, index: number): Entity {
  const n = String(index).padStart(6, '0');
  return {
    id: `00000000-0000-4000-a000-${String(index).padStart(12, '0')}`,
    displayName: `Utilisateur ${n}`,
    givenName: 'Utilisateur',
    surname: n,
    userPrincipalName: `u${n}@${tenant.domain}`,
    mail: `u${n}@${tenant.domain}`,
    accountEnabled: true,
    onPremisesSyncEnabled: null,
    userType: 'Member',
    authorizationInfo: { certificateUserIds: [] },
  };
}
