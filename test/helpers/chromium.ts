import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext } from 'playwright-core';

/** Flags without which Debian's Chromium keeps dialing out of this closed network. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export type LaunchedChromium = { context: BrowserContext; close(): Promise<void> };

/**
 * Debian's Chromium driven by playwright-core, with a fresh profile each time (Playwright's own browser download
 * does not work here).
 */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<LaunchedChromium> {
  const profile = await mkdtemp(join(tmpdir(), 'psc-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.PSC_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [...chromiumArgs, ...extraArgs],
    locale: 'fr-FR',
    viewport: { width: 1280, height: 800 },
  });
  context.setDefaultTimeout(15_000);
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export type { Browser };
