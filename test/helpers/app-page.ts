import type { Page } from 'playwright-core';
import { launchChromium } from './chromium';
import { ensureBuilt, startTestShell } from './shell';
import type { RunningShell } from './shell';

/** A browser shell over a fresh runtime, open in headless Chromium. */
export type OpenApp = { running: RunningShell; page: Page; close(): Promise<void> };

/** Build if needed, start the shell, open its launch URL in a new Chromium page. */
export async function openApp(options: Parameters<typeof startTestShell>[0] = {}): Promise<OpenApp> {
  ensureBuilt();
  const running = await startTestShell(options);
  const browser = await launchChromium();
  const page = await browser.context.newPage();
  await page.goto(running.shell.launchUrl);
  return {
    running,
    page,
    async close() {
      await browser.close();
      await running.close();
    },
  };
}

/** Sign the demo admin in with write access (fix or enroll), through the sign-in dialog. */
export async function signInForFixes(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByLabel('Correction (écriture : corriger, associer des cartes)').check();
  await page.getByRole('dialog').getByRole('button', { name: 'Se connecter' }).click();
  await page.getByTestId('account-chip').waitFor();
}
