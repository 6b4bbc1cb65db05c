/**
 * Headless Debian Chromium for sign-in tests, trusting exactly the emulator certificates (SPKI pins), never a
 * blanket certificate bypass.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { chromium } from 'playwright-core';

/** A launched browser context and its cleanup. */
export type TestBrowser = { readonly context: BrowserContext; close(): Promise<void> };

/** Launches Chromium with a fresh profile, pinning the given SPKI hashes. */
export async function launchChromium(spkiPins: readonly string[]): Promise<TestBrowser> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'psc-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      `--ignore-certificate-errors-spki-list=${spkiPins.join(',')}`,
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
