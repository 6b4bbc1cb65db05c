/**
 * Token issuance: the access token for Graph (`scp`, `wids`, `xms_cc`, `acrs`), the ID token for the client and the
 * `client_info` MSAL uses to key its cache.
 */
import type { SigningKey } from './jwt';
import { signJwt } from './jwt';
import type { AuthorityState, Grant } from './state';
import { graphResource, resourceScopes } from './state';

/** Token endpoint success body (Entra v2 shape). */
export type TokenResponse = {
  token_type: 'Bearer';
  scope: string;
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
  refresh_token?: string;
  id_token: string;
  client_info: string;
};

/** Issues tokens for a grant, storing a new refresh token when `offline_access` was requested. */
export function issueTokens(input: {
  readonly state: AuthorityState;
  readonly key: SigningKey;
  readonly baseUrl: string;
  readonly grant: Grant;
  readonly lifetimeSeconds: number;
  readonly nowSeconds: number;
}): TokenResponse {
  const { state, grant, nowSeconds } = input;
  const found = state.findAccount(grant.oid);
  if (!found) {
    throw new Error('account vanished');
  }
  const { tenant, account } = found;
  const issuer = `${input.baseUrl}/${tenant.id}/v2.0`;
  // The access token carries every consented Graph scope, as Entra does, not only the requested ones.
  const scp = [...state.consented(tenant.id, account.oid, grant.clientId)].sort();
  const accessClaims: Record<string, unknown> = {
    aud: graphResource.appId,
    iss: issuer,
    iat: nowSeconds,
    nbf: nowSeconds,
    exp: nowSeconds + input.lifetimeSeconds,
    appid: grant.clientId,
    azp: grant.clientId,
    tid: tenant.id,
    oid: account.oid,
    sub: account.oid,
    upn: account.userPrincipalName,
    name: account.displayName,
    scp: scp.join(' '),
    wids: account.roles,
    ver: '2.0',
    uti: state.newOpaque(16),
  };
  if (grant.claims.capabilities.includes('CP1')) {
    accessClaims.xms_cc = ['CP1'];
  }
  if (grant.claims.acrs.length > 0) {
    accessClaims.acrs = grant.claims.acrs;
  }
  const idClaims: Record<string, unknown> = {
    aud: grant.clientId,
    iss: issuer,
    iat: nowSeconds,
    nbf: nowSeconds,
    exp: nowSeconds + 3600,
    tid: tenant.id,
    oid: account.oid,
    sub: account.oid,
    preferred_username: account.userPrincipalName,
    name: account.displayName,
    ver: '2.0',
  };
  if (grant.nonce) {
    idClaims.nonce = grant.nonce;
  }
  const response: TokenResponse = {
    token_type: 'Bearer',
    scope: resourceScopes(grant.scopes)
      .map((s) => `${graphResource.uri}/${s}`)
      .join(' '),
    expires_in: input.lifetimeSeconds,
    ext_expires_in: input.lifetimeSeconds,
    access_token: signJwt(input.key, accessClaims),
    id_token: signJwt(input.key, idClaims),
    client_info: clientInfo(state, account.oid, tenant.id),
  };
  if (grant.scopes.includes('offline_access')) {
    const rt = state.newOpaque(48);
    state.refreshTokens.set(rt, { ...grant, nonce: undefined });
    response.refresh_token = rt;
  }
  return response;
}

/** `client_info` as Entra sends it: the home account (`uid`, `utid`), the same for a member and their guest copies. */
export function clientInfo(state: AuthorityState, oid: string, tenantId: string): string {
  const home = state.homeOf(oid) ?? { oid, tenantId };
  return Buffer.from(JSON.stringify({ uid: home.oid, utid: home.tenantId })).toString('base64url');
}

/** Entra-shaped OAuth error body. */
export function oauthError(
  error: string,
  aadsts: number,
  description: string,
  suberror?: string,
): Record<string, unknown> {
  return {
    error,
    error_description: `AADSTS${aadsts}: ${description}`,
    error_codes: [aadsts],
    timestamp: new Date().toISOString(),
    trace_id: crypto.randomUUID(),
    correlation_id: crypto.randomUUID(),
    ...(suberror ? { suberror } : {}),
  };
}
