import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from '../../../shared/logging';

const candidates: Record<string, readonly string[]> = {
  linux: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/microsoft-edge'],
  darwin: [
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
  ],
  win32: [
    'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
    'C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe',
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  ],
};

/**
 * The Chromium-family browser to open the shell in: `PSC_ASSISTANT_BROWSER` when set (a path, or `none` to only print
 * the address), else the first one installed here.
 */
export function findChromiumBrowser(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  const chosen = env.PSC_ASSISTANT_BROWSER;
  if (chosen !== undefined && chosen !== '') {
    return chosen === 'none' || !existsSync(chosen) ? undefined : chosen;
  }
  return (candidates[process.platform] ?? []).find((path) => existsSync(path));
}

/** Escape a URL for an HTML attribute value. */
function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Write the page Chromium is opened on: it only redirects to `url`. The launch token then never appears on the
 * browser's command line, which any local user can read (/proc/<pid>/cmdline on a shared RDS or Citrix server);
 * the page is readable by this user only (0600, inside the 0700 profile folder) and goes away with the profile.
 */
export async function writeLaunchPage(dir: string, url: string): Promise<string> {
  const path = join(dir, 'launch.html');
  const target = escapeAttribute(url);
  await writeFile(
    path,
    '<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">' +
      `<meta http-equiv="refresh" content="0;url=${target}"><title>Assistant PSC</title></head>` +
      `<body><a href="${target}">Assistant PSC</a></body></html>`,
    { mode: 0o600, flag: 'wx' },
  );
  return path;
}

/** The `--app` window opened for the shell, with the throwaway profile it runs in. */
export type AppWindow = {
  /** The profile folder, removed once the browser exits or `close()` runs. */
  readonly profileDir: string;
  /** Stop the browser (its whole process group) if still running, then remove the profile folder. */
  close(): Promise<void>;
};

/**
 * Open the shell in a Chromium/Chrome/Edge `--app` window with a throwaway profile; undefined when none is installed
 * or no display is available (the caller then prints the URL). The profile holds the session cookie and history
 * of this launch: it is removed when the browser exits and when the shell stops (`close()`). The browser is pointed
 * at a local redirect page (see `writeLaunchPage`), not at `url`, so the launch token stays off its command line.
 */
export async function openAppWindow(
  url: string,
  logger: Logger,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<AppWindow | undefined> {
  const browser = findChromiumBrowser(env);
  const hasDisplay = process.platform !== 'linux' || Boolean(env.DISPLAY ?? env.WAYLAND_DISPLAY);
  if (browser === undefined || !hasDisplay) {
    return undefined;
  }
  const profileDir = await mkdtemp(join(tmpdir(), 'psc-assistant-profile-'));
  const removeProfile = () =>
    // Retries: Chromium's helper processes may still hold files for a moment after the main one exits.
    rm(profileDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }).catch((error: unknown) => {
      logger.warn('browser profile not removed', { profileDir, error: String(error) });
    });
  const launchPage = await writeLaunchPage(profileDir, url);
  const child = spawn(
    browser,
    [
      `--app=${pathToFileURL(launchPage).href}`,
      `--user-data-dir=${profileDir}`,
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    { stdio: 'ignore', detached: true },
  );
  let running = true;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      running = false;
      resolve();
    });
  });
  child.once('error', (error) => {
    running = false;
    logger.warn('browser failed to start', { error: String(error) });
  });
  child.unref();
  void exited.then(removeProfile);
  return {
    profileDir,
    async close() {
      if (running && child.pid !== undefined) {
        try {
          // Detached: the browser leads its own process group, which also holds its helper processes.
          process.kill(process.platform === 'win32' ? child.pid : -child.pid, 'SIGTERM');
        } catch {
          // Already gone.
        }
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
      }
      await removeProfile();
    },
  };
}

/**
 * Open a URL in the user's default browser (live sign-in): `xdg-open`, `open` or `start`. Only https URLs, so a
 * crafted value can never launch a local program.
 */
export function openExternal(url: string): Promise<void> {
  if (!url.startsWith('https://')) {
    return Promise.reject(new Error('only https URLs are opened'));
  }
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['rundll32', ['url.dll,FileProtocolHandler', url]]
        : ['xdg-open', [url]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.once('error', reject);
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
