import { BrowserWindow } from 'electron';
import type { Session } from 'electron';

/** The only origin our windows may show: the bundled renderer served by our `app://` protocol. */
export const appOrigin = 'app://psc';

/**
 * Create a window locked down from day one: isolated, sandboxed, no Node, web security on, no webviews, and guarded
 * against navigation and new windows. The options are a literal so static scanners (electronegativity) see them.
 */
export function createLockedWindow(options: { preloadPath: string; title: string }): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    title: options.title,
    show: false,
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  guardWindow(window);
  return window;
}

/** True when an IPC message comes from our own renderer's top frame (never a subframe or a foreign page). */
export function isTrustedSender(frame: { url: string; parent: unknown } | null): boolean {
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}

/** Scheme and host of `appOrigin`, compared part by part (see `isAppUrl`). */
const appProtocol = 'app:';
const appHost = 'psc';

/**
 * True when a URL belongs to our bundled renderer.
 *
 * Compares scheme and host rather than `origin`: the WHATWG URL class (Node's, in the main process) gives the
 * origin `'null'` to every non-special scheme such as `app:`, so an origin check would refuse our own pages.
 * `host` includes any port, and credentials are refused, so `app://psc:1/` and `app://x@psc/` are not ours.
 */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === appProtocol &&
      parsed.host.toLowerCase() === appHost &&
      parsed.username === '' &&
      parsed.password === ''
    );
  } catch {
    return false;
  }
}

/**
 * Block navigation away from the app, deny every `window.open`, refuse webviews.
 */
function guardWindow(window: BrowserWindow): void {
  const contents = window.webContents;
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) {
      event.preventDefault();
    }
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) {
      event.preventDefault();
    }
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/**
 * Deny every permission request and check (camera, notifications, HID, serial…) but clipboard writes.
 */
export function guardSession(session: Session): void {
  // Only writing to the clipboard is allowed: the desk's copy buttons.
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    callback(permission === 'clipboard-sanitized-write');
  });
  session.setPermissionCheckHandler((_contents, permission) => permission === 'clipboard-sanitized-write');
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) => {
    // No remote content, ever: only our protocol and devtools internals.
    const allowed = isAppUrl(details.url) || details.url.startsWith('devtools://');
    callback({ cancel: !allowed });
  });
}
