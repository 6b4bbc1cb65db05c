import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium';
import type { LaunchedChromium } from '../helpers/chromium';
import { ensureBuilt, repoRoot } from '../helpers/shell';

/**
 * The installed app's way from demo to a real tenant and back: Paramètres › « Passer en mode réel », confirmed, in
 * the built browser shell (`dist/browser/main.mjs`), which rebuilds its services behind the same address.
 */
describe('Paramètres: switching between demo and live mode', () => {
  let dataDir: string;
  let child: ChildProcessByStdio<null, Readable, null>;
  let browser: LaunchedChromium;
  let page: Page;

  beforeAll(async () => {
    ensureBuilt();
    dataDir = await mkdtemp(join(tmpdir(), 'psc-mode-switch-'));
    child = spawn(process.execPath, [join(repoRoot, 'dist', 'browser', 'main.mjs'), '--no-open'], {
      env: { ...process.env, PSC_ASSISTANT_DATA_DIR: dataDir, PSC_ASSISTANT_BROWSER: 'none' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let buffered = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        const line = buffered.split('\n').find((candidate) => candidate.includes('"ready"'));
        if (line !== undefined) {
          resolve((JSON.parse(line) as { url: string }).url);
        }
      });
      child.once('exit', (code) => {
        reject(new Error(`browser shell exited with ${String(code)}`));
      });
    });
    browser = await launchChromium();
    page = await browser.context.newPage();
    await page.goto(url);
    await page.getByTestId('demo-banner').waitFor();
  });

  afterAll(async () => {
    await browser.close();
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await rm(dataDir, { recursive: true, force: true });
  });

  const openSettings = async () => {
    await page.getByRole('tab', { name: 'Paramètres' }).click();
    await page.getByRole('heading', { level: 1, name: 'Paramètres' }).waitFor();
  };

  it('asks first, and cancelling changes nothing', async () => {
    await openSettings();
    await page.getByRole('button', { name: 'Passer en mode réel' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Passer en mode réel ?' });
    await expect(dialog.textContent()).resolves.toContain('modifieront réellement votre annuaire');
    await dialog.getByRole('button', { name: 'Annuler' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect(page.getByTestId('demo-banner').isVisible()).resolves.toBe(true);
  });

  it('restarts in live mode once confirmed: no DÉMO banner, the mode shown and kept for the next start', async () => {
    await page.getByRole('button', { name: 'Passer en mode réel' }).click();
    await page.getByRole('button', { name: 'Redémarrer en mode réel' }).click();

    await page.getByTestId('demo-banner').waitFor({ state: 'detached', timeout: 30_000 });
    await openSettings();
    await page.getByText('Réel (lecteurs et Microsoft Entra)').waitFor();
    expect(JSON.parse(await readFile(join(dataDir, 'preferences.json'), 'utf8'))).toEqual({ version: 1, mode: 'live' });
  });

  it('comes back to demo mode the same way', async () => {
    await page.getByRole('button', { name: 'Revenir au mode démo' }).click();
    await page.getByRole('button', { name: 'Redémarrer en mode démo' }).click();

    await page.getByTestId('demo-banner').waitFor({ timeout: 30_000 });
    expect(JSON.parse(await readFile(join(dataDir, 'preferences.json'), 'utf8'))).toEqual({ version: 1, mode: 'demo' });
  });
});
