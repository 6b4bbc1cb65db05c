import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/**
 * Open the shell in a Chromium/Chrome/Edge `--app` window with a throwaway profile; false when none is installed
 * or no display is available (the caller then prints the URL).
 */
export async function openAppWindow(url: string, logger: Logger): Promise<boolean> {
  const browser = findChromiumBrowser();
  const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY ?? process.env.WAYLAND_DISPLAY);
  if (browser === undefined || !hasDisplay) {
    return false;
  }
  const profile = await mkdtemp(join(tmpdir(), 'psc-assistant-profile-'));
  const child = spawn(
    browser,
    [
      `--app=${url}`,
      `--user-data-dir=${profile}`,
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    { stdio: 'ignore', detached: true },
  );
  child.on('error', (error) => {
    logger.warn('browser failed to start', { error: String(error) });
  });
  child.unref();
  return true;
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
