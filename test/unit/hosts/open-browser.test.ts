import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppWindow } from '../../../electron/hosts/browser/open-browser';
import { silentLogger } from '../../../shared/logging';

/** True while a process with this id runs (a zombie left for a reaper that is not ours counts as stopped). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${String(pid)}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

// A stand-in for Chromium: writes into the profile it is given like a browser does, starts a helper process (as
// Chromium's renderers and GPU process), records the helper's pid, then either stays up or exits at once.
const fakeBrowser = (stay: boolean) => `#!/bin/sh
for arg in "$@"; do
  case "$arg" in --user-data-dir=*) profile="\${arg#--user-data-dir=}" ;; esac
done
mkdir -p "$profile/Default" && echo cookies > "$profile/Default/Cookies"
sleep 120 &
echo $! > "$profile.helper"
${stay ? 'wait' : 'exit 0'}
`;

describe.skipIf(process.platform === 'win32')('electron/hosts/browser/open-browser', () => {
  let work: string;
  let staying: string;
  let leaving: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'psc-open-browser-'));
    staying = join(work, 'browser-stays');
    leaving = join(work, 'browser-leaves');
    await writeFile(staying, fakeBrowser(true));
    await writeFile(leaving, fakeBrowser(false));
    await chmod(staying, 0o755);
    await chmod(leaving, 0o755);
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  const helperPid = async (profileDir: string) => {
    await expect.poll(() => existsSync(`${profileDir}.helper`)).toBe(true);
    return Number((await readFile(`${profileDir}.helper`, 'utf8')).trim());
  };

  it('stops the browser and its helper processes and removes the profile when the shell stops', async () => {
    const window = await openAppWindow('http://127.0.0.1:1/?t=x', silentLogger, {
      PSC_ASSISTANT_BROWSER: staying,
      DISPLAY: ':0',
    });
    expect(window).toBeDefined();
    const profileDir = window!.profileDir;
    const helper = await helperPid(profileDir);
    await expect.poll(() => existsSync(join(profileDir, 'Default', 'Cookies'))).toBe(true);

    await window!.close();

    expect(existsSync(profileDir)).toBe(false);
    await expect.poll(() => alive(helper)).toBe(false);
    await rm(`${profileDir}.helper`, { force: true });
  });

  it('removes the profile once the user closes the browser, before the shell stops', async () => {
    const window = await openAppWindow('http://127.0.0.1:1/?t=x', silentLogger, {
      PSC_ASSISTANT_BROWSER: leaving,
      DISPLAY: ':0',
    });
    const profileDir = window!.profileDir;
    const helper = await helperPid(profileDir);

    await expect.poll(() => existsSync(profileDir)).toBe(false);
    await window!.close();
    process.kill(helper, 'SIGTERM');
    await rm(`${profileDir}.helper`, { force: true });
  });

  it.each([
    ['no browser is wanted', { PSC_ASSISTANT_BROWSER: 'none', DISPLAY: ':0' }],
    ['the chosen browser does not exist', { PSC_ASSISTANT_BROWSER: '/nonexistent/chromium', DISPLAY: ':0' }],
  ])('opens nothing when %s', async (_label, env) => {
    expect(await openAppWindow('http://127.0.0.1:1/', silentLogger, env)).toBeUndefined();
  });

  it.runIf(process.platform === 'linux')('opens nothing without a display', async () => {
    expect(
      await openAppWindow('http://127.0.0.1:1/', silentLogger, { PSC_ASSISTANT_BROWSER: staying }),
    ).toBeUndefined();
  });
});
