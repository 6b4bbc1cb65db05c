/**
 * Least delegated scope and least Entra role per Graph resource (from the PSC checklist), used to explain a 403.
 */

/** What a 403 on this resource most likely lacks. */
export type PermissionHint = { readonly scope: string; readonly role: string };

type Row = { readonly pattern: RegExp; readonly read: PermissionHint; readonly write: PermissionHint };

const rows: readonly Row[] = [
  {
    pattern: /^\/users(\/|$|\?)/,
    read: { scope: 'User.Read.All', role: 'Global Reader' },
    write: { scope: 'User.ReadWrite.All', role: 'Privileged Authentication Administrator' },
  },
  {
    pattern: /^\/groups/,
    read: { scope: 'GroupMember.Read.All', role: 'Global Reader' },
    write: { scope: 'GroupMember.ReadWrite.All', role: 'Groups Administrator' },
  },
  {
    pattern: /^\/organization\/[^/]+\/certificateBasedAuthConfiguration/,
    read: { scope: 'Organization.Read.All', role: 'Global Reader' },
    write: { scope: 'Organization.ReadWrite.All', role: 'Global Administrator' },
  },
  {
    pattern: /^\/(organization|subscribedSkus)/,
    read: { scope: 'Organization.Read.All', role: 'Global Reader' },
    write: { scope: 'Organization.ReadWrite.All', role: 'Global Administrator' },
  },
  {
    pattern: /^\/policies\/authenticationMethodsPolicy/,
    read: { scope: 'Policy.Read.AuthenticationMethod', role: 'Global Reader' },
    write: { scope: 'Policy.ReadWrite.AuthenticationMethod', role: 'Authentication Policy Administrator' },
  },
  {
    pattern: /^\/policies\/identitySecurityDefaultsEnforcementPolicy/,
    read: { scope: 'Policy.Read.All', role: 'Security Reader' },
    write: { scope: 'Policy.ReadWrite.SecurityDefaults', role: 'Security Administrator' },
  },
  {
    pattern: /^\/directory\/publicKeyInfrastructure/,
    read: { scope: 'PublicKeyInfrastructure.Read.All', role: 'Authentication Administrator' },
    write: { scope: 'PublicKeyInfrastructure.ReadWrite.All', role: 'Privileged Authentication Administrator' },
  },
  {
    pattern: /^\/(identity\/conditionalAccess|policies\/authenticationStrengthPolicies)/,
    read: { scope: 'Policy.Read.ConditionalAccess', role: 'Security Reader' },
    write: { scope: 'Policy.ReadWrite.ConditionalAccess', role: 'Conditional Access Administrator' },
  },
  {
    pattern: /^\/servicePrincipals[^?]*\/oauth2PermissionGrants|^\/oauth2PermissionGrants/,
    read: { scope: 'DelegatedPermissionGrant.Read.All', role: 'Global Reader' },
    write: { scope: 'DelegatedPermissionGrant.ReadWrite.All', role: 'Cloud Application Administrator' },
  },
  {
    pattern: /^\/servicePrincipals[^?]*\/appRoleAssignedTo/,
    read: { scope: 'Application.Read.All', role: 'Global Reader' },
    write: { scope: 'AppRoleAssignment.ReadWrite.All', role: 'Cloud Application Administrator' },
  },
  {
    pattern: /^\/servicePrincipals/,
    read: { scope: 'Application.Read.All', role: 'Global Reader' },
    write: { scope: 'Application.ReadWrite.All', role: 'Cloud Application Administrator' },
  },
];

/** The least scope and role for a method on a path (relative to the version), if known. */
export function permissionHint(method: string, path: string): PermissionHint | undefined {
  const row = rows.find((r) => r.pattern.test(path));
  if (!row) {
    return undefined;
  }
  return method.toUpperCase() === 'GET' ? row.read : row.write;
}
