/**
 * Delegated Graph scopes: read scopes for audits, write scopes asked only when the user chooses to fix or enroll.
 */

/** Graph resource prefix for scopes. */
export const graphScopePrefix = 'https://graph.microsoft.com/';

/** Read scopes for an audit (domain §4). */
export const auditScopes = [
  'Policy.Read.All',
  'Policy.Read.ConditionalAccess',
  'Application.Read.All',
  'User.Read.All',
  'GroupMember.Read.All',
  'UserAuthenticationMethod.Read.All',
  'Organization.Read.All',
  'PublicKeyInfrastructure.Read.All',
  'DelegatedPermissionGrant.Read.All',
] as const;

/**
 * Write scopes asked at a sign-in in fix mode: enrollment writes `certificateUserIds` and adds the user to the CBA
 * group. Configuration fixes ask for their own scopes only when one runs (incremental consent prompt).
 */
export const enrollmentScopes = ['User.ReadWrite.All', 'GroupMember.ReadWrite.All'] as const;

/** Write scopes for configuration fixes, asked one by one when a fix needs them. */
export const fixScopes = [
  'Policy.ReadWrite.AuthenticationMethod',
  'Policy.ReadWrite.ConditionalAccess',
  'Policy.ReadWrite.SecurityDefaults',
  'GroupMember.ReadWrite.All',
  'Application.ReadWrite.All',
  'AppRoleAssignment.ReadWrite.All',
  'PublicKeyInfrastructure.ReadWrite.All',
] as const;

/** Prefixes bare Graph scopes with the resource; OIDC scopes stay bare. */
export function qualifyScopes(scopes: readonly string[]): string[] {
  const oidc = new Set(['openid', 'profile', 'offline_access', 'email']);
  return scopes.map((s) => (oidc.has(s) || s.includes('://') ? s : `${graphScopePrefix}${s}`));
}
