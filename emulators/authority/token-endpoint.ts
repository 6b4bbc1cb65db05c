/**
 * `/token` and `/devicecode` of the authority emulator: authorization_code (PKCE S256 verified), refresh_token
 * (incremental consent enforced) and device_code grants.
 */
import type { SigningKey } from './jwt';
import type { AuthorityState, Grant } from './state';
import { normalizeScopes, parseClaims, resourceScopes, s256 } from './state';
import { issueTokens, oauthError } from './tokens';

/** A JSON reply (status + body). */
export type JsonReply = { readonly status: number; readonly body: unknown };

/** Shared context of the token endpoints. */
export type TokenContext = {
  readonly state: AuthorityState;
  readonly key: SigningKey;
  readonly baseUrl: string;
  readonly lifetimeSeconds: number;
  readonly deviceIntervalSeconds: number;
  readonly now: () => number;
};

const bad = (error: string, code: number, text: string, suberror?: string): JsonReply => ({
  status: 400,
  body: oauthError(error, code, text, suberror),
});

/** Handles a POST to `/{tenant}/oauth2/v2.0/token` (`segment` is that `{tenant}`). */
export function handleToken(ctx: TokenContext, form: URLSearchParams, segment = 'organizations'): JsonReply {
  const nowSeconds = Math.floor(ctx.now() / 1000);
  const grantType = form.get('grant_type');
  const clientId = form.get('client_id') ?? '';
  const issue = (grant: Grant): JsonReply => ({
    status: 200,
    body: issueTokens({ ...ctx, grant, nowSeconds }),
  });
  switch (grantType) {
    case 'authorization_code': {
      const code = ctx.state.codes.get(form.get('code') ?? '');
      if (!code || code.expiresAt < ctx.now()) {
        return bad('invalid_grant', 70008, 'The provided authorization code or refresh token has expired.');
      }
      ctx.state.codes.delete(form.get('code') ?? '');
      if (code.clientId !== clientId || code.redirectUri !== form.get('redirect_uri')) {
        return bad('invalid_grant', 50148, 'The redirect_uri or client_id does not match the authorization request.');
      }
      if (s256(form.get('code_verifier') ?? '') !== code.codeChallenge) {
        return bad('invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge supplied.');
      }
      return issue(code);
    }
    case 'refresh_token': {
      const stored = ctx.state.refreshTokens.get(form.get('refresh_token') ?? '');
      if (stored?.clientId !== clientId) {
        return bad('invalid_grant', 9002313, 'Invalid refresh token.');
      }
      // Refresh tokens are multi-tenant: redeemed at another tenant's endpoint they yield that tenant's token for
      // the same person (member or guest there), as with Entra B2B.
      const target = ctx.state.findTenant(segment);
      let rt: Grant = stored;
      if (target && target.id !== stored.tenantId) {
        const oid = ctx.state.sameUserIn(target.id, stored.oid);
        if (oid === undefined) {
          return bad(
            'invalid_grant',
            50020,
            `User account from identity provider does not exist in tenant '${target.displayName}'.`,
          );
        }
        rt = { ...stored, tenantId: target.id, oid, claims: { ...stored.claims, acrs: [] } };
      }
      const scopes = normalizeScopes(form.get('scope') ?? '');
      const consented = ctx.state.consented(rt.tenantId, rt.oid, clientId);
      const missing = resourceScopes(scopes).filter((s) => !consented.has(s) && s !== '.default');
      if (missing.length > 0) {
        return bad(
          'invalid_grant',
          65001,
          `The user or administrator has not consented to use the application. Send an interactive authorization request for: ${missing.join(' ')}.`,
          'consent_required',
        );
      }
      const asked = parseClaims(form.get('claims'));
      const stepUp = asked.acrs.filter((a) => ctx.state.interactionOnlyAcrs.has(a) && !rt.claims.acrs.includes(a));
      if (stepUp.length > 0) {
        // Entra's answer when conditional access needs the user (MFA, step-up) and a refresh token cannot do.
        return bad(
          'invalid_grant',
          50076,
          `Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '${stepUp.join(' ')}'.`,
          'basic_action',
        );
      }
      return issue({ ...rt, scopes, claims: mergeClaims(rt.claims, asked) });
    }
    case 'device_code': // MSAL sends the short form; Entra accepts both.
    case 'urn:ietf:params:oauth:grant-type:device_code': {
      const dc = ctx.state.deviceCodes.get(form.get('device_code') ?? '');
      if (dc?.clientId !== clientId) {
        return bad('invalid_grant', 70000, 'The provided device code is invalid.');
      }
      if (dc.expiresAt < ctx.now()) {
        return bad('expired_token', 70020, 'The provided device code has expired.');
      }
      if (dc.status === 'declined') {
        ctx.state.deviceCodes.delete(dc.deviceCode);
        return bad('authorization_declined', 70018, 'The user declined the request.');
      }
      if (dc.status === 'pending' || !dc.grant) {
        return bad('authorization_pending', 70016, 'OAuth 2.0 device flow error. Authorization is pending.');
      }
      ctx.state.deviceCodes.delete(dc.deviceCode);
      return issue(dc.grant);
    }
    default:
      return bad('unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType ?? ''}'.`);
  }
}

function mergeClaims(a: Grant['claims'], b: Grant['claims']): Grant['claims'] {
  return {
    capabilities: [...new Set([...a.capabilities, ...b.capabilities])],
    acrs: [...new Set([...a.acrs, ...b.acrs])],
  };
}

/** Handles a POST to `/{tenant}/oauth2/v2.0/devicecode`. */
export function handleDeviceCode(ctx: TokenContext, tenantSegment: string, form: URLSearchParams): JsonReply {
  const clientId = form.get('client_id');
  if (!clientId) {
    return bad('invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
  }
  const deviceCode = ctx.state.newOpaque(32);
  const userCode = ctx.state.newUserCode();
  const expiresIn = 900;
  ctx.state.deviceCodes.set(deviceCode, {
    deviceCode,
    userCode,
    tenantSegment,
    clientId,
    scopes: normalizeScopes(form.get('scope') ?? ''),
    claims: parseClaims(form.get('claims')),
    expiresAt: ctx.now() + expiresIn * 1000,
    status: 'pending',
  });
  const verificationUri = `${ctx.baseUrl}/devicelogin`;
  return {
    status: 200,
    body: {
      user_code: userCode,
      device_code: deviceCode,
      verification_uri: verificationUri,
      expires_in: expiresIn,
      interval: ctx.deviceIntervalSeconds,
      message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${userCode} to authenticate.`,
    },
  };
}
