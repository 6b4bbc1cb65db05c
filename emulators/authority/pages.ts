/**
 * HTML pages of the authority emulator: sign-in with consent, the form_post hand-back to the app, and the device
 * code entry page. Real forms with named fields so Playwright drives them like a person would.
 */
import { escapeHtml as e } from './http-util';

/** One selectable account on the sign-in page. */
export type AccountOption = { readonly oid: string; readonly label: string };

const shell = (title: string, body: string): string =>
  `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${e(title)}</title></head><body>${body}</body></html>`;

/** Sign-in and consent page for a pending authorization (`txn` references the stored request). */
export function consentPage(input: {
  readonly action: string;
  readonly txn: string;
  readonly clientId: string;
  readonly accounts: readonly AccountOption[];
  readonly scopes: readonly string[];
  readonly error?: string;
}): string {
  const options = input.accounts
    .map((a, i) => `<option value="${e(a.oid)}"${i === 0 ? ' selected' : ''}>${e(a.label)}</option>`)
    .join('');
  const scopes = input.scopes.map((s) => `<li data-scope="${e(s)}">${e(s)}</li>`).join('');
  return shell(
    'Connexion — émulateur',
    `<h1>Connexion</h1>${input.error ? `<p role="alert">${e(input.error)}</p>` : ''}
<form method="post" action="${e(input.action)}">
<input type="hidden" name="txn" value="${e(input.txn)}">
<label for="account">Compte</label> <select id="account" name="account">${options}</select>
<p>L'application <code>${e(input.clientId)}</code> demande :</p><ul id="scopes">${scopes}</ul>
<label><input type="checkbox" id="consent" name="consent" value="yes"> J'accepte</label>
<button type="submit" id="accept" name="decision" value="accept">Accepter</button>
<button type="submit" id="cancel" name="decision" value="cancel">Annuler</button>
</form>`,
  );
}

/** The OAuth `form_post` response: an auto-submitting form to the app's loopback redirect. */
export function formPostPage(redirectUri: string, fields: Readonly<Record<string, string>>): string {
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${e(k)}" value="${e(v)}">`)
    .join('');
  return shell(
    'Retour vers l’application',
    `<form id="handback" method="post" action="${e(redirectUri)}">${inputs}<noscript><button type="submit">Continuer</button></noscript></form>
<script>document.getElementById('handback').submit();</script>`,
  );
}

/** Device code entry page; `message` reports the outcome of a previous submission. */
export function devicePage(input: {
  readonly action: string;
  readonly accounts: readonly AccountOption[];
  readonly message?: string;
}): string {
  const options = input.accounts.map((a) => `<option value="${e(a.oid)}">${e(a.label)}</option>`).join('');
  return shell(
    'Code d’appareil — émulateur',
    `<h1>Entrer le code</h1>${input.message ? `<p role="status" id="message">${e(input.message)}</p>` : ''}
<form method="post" action="${e(input.action)}">
<label for="user_code">Code</label> <input id="user_code" name="user_code" autocomplete="off">
<label for="account">Compte</label> <select id="account" name="account">${options}</select>
<label><input type="checkbox" id="consent" name="consent" value="yes"> J'accepte</label>
<button type="submit" id="accept">Continuer</button>
</form>`,
  );
}
