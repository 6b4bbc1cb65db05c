/**
 * `/authorize` and `/devicelogin`: the human-facing side of the authority emulator.
 *
 * `/authorize` validates the request (public client, loopback redirect, PKCE S256 required, form_post), then shows a
 * sign-in and consent page, or, when auto sign-in is configured, consents for the configured account at once.
 */
import type { AccountOption } from './pages';
import { consentPage, devicePage, formPostPage } from './pages';
import type { AuthorityState, PendingAuthorization } from './state';
import { normalizeScopes, parseClaims, resourceScopes } from './state';
import { clientInfo } from './tokens';

/** An HTML reply. */
export type HtmlReply = { readonly status: number; readonly html: string };

/** Options that decide whether a person is needed. */
export type InteractiveOptions = {
  readonly state: AuthorityState;
  /** Sign this account in and consent without showing the page (demo mode and some tests). */
  readonly autoSignIn?: { readonly userPrincipalName: string } | undefined;
  readonly now: () => number;
};

const errorPage = (text: string): HtmlReply => ({
  status: 400,
  html: `<!doctype html><html lang="fr"><body><h1>Erreur</h1><p role="alert">${text.replaceAll('<', '&lt;')}</p></body></html>`,
});

function isLoopbackRedirect(uri: string): boolean {
  try {
    const u = new URL(uri);
    return u.protocol === 'http:' && (u.hostname === 'localhost' || u.hostname === '127.0.0.1');
  } catch {
    return false;
  }
}

function options(state: AuthorityState, segment: string): AccountOption[] {
  return state.accountsFor(segment).map(({ tenant, account }) => ({
    oid: account.oid,
    label: `${account.displayName} <${account.userPrincipalName}> — ${tenant.displayName}`,
  }));
}

function complete(opts: InteractiveOptions, p: PendingAuthorization, oid: string): HtmlReply {
  const found = opts.state.findAccount(oid);
  if (!found || !opts.state.accountsFor(p.tenantSegment).some((x) => x.account.oid === oid)) {
    return errorPage('AADSTS50034: The user account does not exist in this directory.');
  }
  const { tenant, account } = found;
  opts.state.consent(tenant.id, account.oid, p.clientId, p.scopes);
  const code = opts.state.newOpaque(48);
  opts.state.codes.set(code, {
    tenantId: tenant.id,
    oid: account.oid,
    clientId: p.clientId,
    scopes: p.scopes,
    claims: p.claims,
    nonce: p.nonce,
    redirectUri: p.redirectUri,
    codeChallenge: p.codeChallenge,
    expiresAt: opts.now() + 10 * 60_000,
  });
  return {
    status: 200,
    html: formPostPage(p.redirectUri, {
      code,
      state: p.state,
      client_info: clientInfo(opts.state, account.oid, tenant.id),
    }),
  };
}

/** GET `/{tenant}/oauth2/v2.0/authorize`. */
export function handleAuthorizeGet(
  opts: InteractiveOptions,
  segment: string,
  query: URLSearchParams,
  action: string,
): HtmlReply {
  const clientId = query.get('client_id') ?? '';
  const redirectUri = query.get('redirect_uri') ?? '';
  if (!clientId) {
    return errorPage("AADSTS900144: The request body must contain the following parameter: 'client_id'.");
  }
  if (!isLoopbackRedirect(redirectUri)) {
    return errorPage('AADSTS50011: The redirect URI specified in the request does not match a loopback redirect URI.');
  }
  if (query.get('response_type') !== 'code') {
    return errorPage('AADSTS900144: response_type must be code.');
  }
  if (query.get('code_challenge_method') !== 'S256' || !query.get('code_challenge')) {
    return errorPage(
      'AADSTS9002325: Proof Key for Code Exchange is required for cross-origin authorization code redemption.',
    );
  }
  if (query.get('response_mode') !== 'form_post') {
    return errorPage('AADSTS900144: this emulator answers loopback clients with response_mode=form_post only.');
  }
  if (segment !== 'organizations' && segment !== 'common' && !opts.state.findTenant(segment)) {
    return errorPage(`AADSTS90002: Tenant '${segment}' not found.`);
  }
  const pending: PendingAuthorization = {
    tenantSegment: segment,
    clientId,
    redirectUri,
    scopes: normalizeScopes(query.get('scope') ?? 'openid profile offline_access'),
    state: query.get('state') ?? '',
    nonce: query.get('nonce') ?? '',
    codeChallenge: query.get('code_challenge') ?? '',
    claims: parseClaims(query.get('claims')),
  };
  if (opts.autoSignIn) {
    const upn = opts.autoSignIn.userPrincipalName.toLowerCase();
    const match = opts.state.accountsFor(segment).find((x) => x.account.userPrincipalName.toLowerCase() === upn);
    if (match) {
      return complete(opts, pending, match.account.oid);
    }
  }
  const txn = opts.state.newOpaque(24);
  opts.state.pending.set(txn, pending);
  return {
    status: 200,
    html: consentPage({
      action,
      txn,
      clientId,
      accounts: options(opts.state, segment),
      scopes: resourceScopes(pending.scopes),
    }),
  };
}

/** POST `/{tenant}/oauth2/v2.0/authorize` (the consent form). */
export function handleAuthorizePost(opts: InteractiveOptions, form: URLSearchParams, action: string): HtmlReply {
  const txn = form.get('txn') ?? '';
  const pending = opts.state.pending.get(txn);
  if (!pending) {
    return errorPage('AADSTS90014: this sign-in request has expired; start again from the application.');
  }
  if (form.get('decision') === 'cancel') {
    opts.state.pending.delete(txn);
    return {
      status: 200,
      html: formPostPage(pending.redirectUri, {
        error: 'access_denied',
        error_description: 'AADSTS65004: User declined to consent to access the app.',
        state: pending.state,
      }),
    };
  }
  if (form.get('consent') !== 'yes') {
    return {
      status: 200,
      html: consentPage({
        action,
        txn,
        clientId: pending.clientId,
        accounts: options(opts.state, pending.tenantSegment),
        scopes: resourceScopes(pending.scopes),
        error: 'Cochez « J’accepte » pour continuer.',
      }),
    };
  }
  opts.state.pending.delete(txn);
  return complete(opts, pending, form.get('account') ?? '');
}

/** GET/POST `/devicelogin`: enter the user code, pick the account, consent. */
export function handleDeviceLogin(
  opts: InteractiveOptions,
  form: URLSearchParams | undefined,
  action: string,
): HtmlReply {
  const all = options(opts.state, 'organizations');
  if (!form) {
    return { status: 200, html: devicePage({ action, accounts: all }) };
  }
  const userCode = (form.get('user_code') ?? '').trim().toUpperCase();
  const dc = [...opts.state.deviceCodes.values()].find((d) => d.userCode === userCode && d.status === 'pending');
  if (!dc || dc.expiresAt < opts.now()) {
    return { status: 400, html: devicePage({ action, accounts: all, message: 'Code inconnu ou expiré.' }) };
  }
  const found = opts.state.findAccount(form.get('account') ?? '');
  if (!found || !opts.state.accountsFor(dc.tenantSegment).some((x) => x.account.oid === found.account.oid)) {
    return { status: 400, html: devicePage({ action, accounts: all, message: 'Compte hors de ce locataire.' }) };
  }
  if (form.get('consent') !== 'yes') {
    dc.status = 'declined';
    return { status: 200, html: devicePage({ action, accounts: all, message: 'Connexion refusée.' }) };
  }
  opts.state.consent(found.tenant.id, found.account.oid, dc.clientId, dc.scopes);
  dc.status = 'approved';
  dc.grant = {
    tenantId: found.tenant.id,
    oid: found.account.oid,
    clientId: dc.clientId,
    scopes: dc.scopes,
    claims: dc.claims,
  };
  return {
    status: 200,
    html: devicePage({ action, accounts: all, message: 'Connexion réussie. Vous pouvez fermer cette page.' }),
  };
}
