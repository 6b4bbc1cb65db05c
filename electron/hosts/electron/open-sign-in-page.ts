import { shell } from 'electron';

/** Hosts the system browser may be sent to: Microsoft's sign-in endpoints only. */
const signInHosts = new Set(['login.microsoftonline.com', 'login.microsoft.com']);

/**
 * Open a Microsoft sign-in page in the user's browser. Anything else (other scheme, other host, a `file:` or custom
 * protocol that would launch a program) is refused.
 */
export async function openSignInPage(url: string): Promise<void> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' || !signInHosts.has(parsed.hostname)) {
    throw new Error(`refused to open ${parsed.protocol}//${parsed.hostname}`);
  }
  await shell.openExternal(parsed.toString(), { activate: true });
}
