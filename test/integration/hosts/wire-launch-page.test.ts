import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppWindow } from '../../../electron/hosts/browser/open-browser';
import type { AppWindow } from '../../../electron/hosts/browser/open-browser';
import { startBrowserShell } from '../../../electron/hosts/browser/server';
import type { BrowserShell } from '../../../electron/hosts/browser/server';
import { silentLogger } from '../../../shared/logging';
import type { Logger } from '../../../shared/logging';
import { chromiumArgs } from '../../helpers/chromium';
import { ensureBuilt, rendererDir, startTestShell } from '../../helpers/shell';
import type { RunningShell } from '../../helpers/shell';

const chromium = process.env.PSC_CHROMIUM ?? '/usr/bin/chromium';

/** Status and body of a GET without cookie. */
function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Command lines of the running processes that use `profileDir` (the browser and its helpers). */
function commandLinesUsing(profileDir: string): string[] {
  const lines: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const line = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (line.includes(profileDir)) {
        lines.push(line);
      }
    } catch {
      // The process ended meanwhile.
    }
  }
  return lines;
}

// Real Chromium (headless, as no display is available here) opened the way the shell opens it.
describe.runIf(process.platform === 'linux' && existsSync(chromium))('the app window opened on a launch page', () => {
  let running: RunningShell;
  let shell: BrowserShell;
  let work: string;
  let appWindow: AppWindow | undefined;
  const logged: string[] = [];
  const recording: Logger = { ...silentLogger, info: (message) => logged.push(message) };

  beforeAll(async () => {
    ensureBuilt();
    running = await startTestShell({ conformance: false });
    // A shell of our own over the same runtime, to see (in its log) when the browser exchanged the token.
    shell = await startBrowserShell({ runtime: running.runtime, rendererDir, logger: recording });
    work = await mkdtemp(join(tmpdir(), 'psc-launch-page-'));
    const headless = join(work, 'chromium-headless');
    await writeFile(headless, `#!/bin/sh\nexec ${chromium} ${chromiumArgs.join(' ')} "$@"\n`);
    await chmod(headless, 0o755);
    appWindow = await openAppWindow(shell.launchUrl, silentLogger, {
      PSC_ASSISTANT_BROWSER: headless,
      DISPLAY: ':0',
    });
  });

  afterAll(async () => {
    await appWindow?.close();
    await shell.close();
    await running.close();
    await rm(work, { recursive: true, force: true });
  });

  it('keeps the launch token off the browser’s command line, in a page only this user can read', async () => {
    const token = new URL(shell.launchUrl).searchParams.get('t') ?? '';
    const page = join(appWindow!.profileDir, 'launch.html');
    await expect.poll(() => commandLinesUsing(appWindow!.profileDir).length).toBeGreaterThan(0);

    expect(commandLinesUsing(appWindow!.profileDir).some((line) => line.includes(token))).toBe(false);
    expect(statSync(page).mode & 0o777).toBe(0o600);
    expect(readFileSync(page, 'utf8')).toContain(shell.launchUrl);
  });

  it('the browser follows the page and spends the launch token: the address no longer opens a session', async () => {
    // Polling the address itself would spend the token: wait for the shell to log the browser's exchange.
    await expect
      .poll(() => logged, { timeout: 20_000, interval: 250 })
      .toContain('launch token exchanged for a session');
    const again = await get(shell.launchUrl);

    expect(again.status).toBe(403);
    expect(again.body).toContain('Cette adresse a déjà servi');
  });
});
