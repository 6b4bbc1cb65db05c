import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium } from '../../helpers/chromium';
import { openApp, signInForFixes } from '../../helpers/app-page';
import type { OpenApp } from '../../helpers/app-page';

/**
 * The real renderer in headless Chromium against the browser shell: what the audit's wire findings looked like to
 * a user (a large pasted CSV killed the shell; the launch address could be reused).
 */
describe('browser shell wire, seen from the renderer', () => {
  let app: OpenApp;
  let page: Page;

  beforeAll(async () => {
    app = await openApp({ conformance: false });
    ({ page } = app);
    await signInForFixes(page);
  });

  afterAll(async () => {
    await app.close();
  });

  it('previews a 1,000-row CSV with inline base64 certificates (over 1 MB once framed)', async () => {
    const cert = `MII${'A'.repeat(1200)}`;
    const rows = Array.from({ length: 1000 }, (_, i) => `u${String(i)}@clinique-demo.fr;${cert}`);
    const csv = `utilisateur;certificat\n${rows.join('\n')}`;
    expect(Buffer.byteLength(csv)).toBeGreaterThan(1024 * 1024);

    await page
      .getByTestId('bulk-file')
      .setInputFiles({ name: 'lot.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });

    await page.getByTestId('bulk-panel').filter({ hasText: 'Aperçu : 1000 ligne(s)' }).waitFor({ timeout: 60_000 });
    await expect(page.getByTestId('bulk-row').count()).resolves.toBe(1000);
  });

  it('shows the French « already used » page when the launch address is opened again in another browser', async () => {
    const other = await launchChromium();
    try {
      const second = await other.context.newPage();
      const response = await second.goto(app.running.shell.launchUrl);

      expect(response?.status()).toBe(403);
      await expect(second.locator('body').textContent()).resolves.toContain(
        'Cette adresse a déjà servi : relancez l’assistant.',
      );
    } finally {
      await other.close();
    }
  });
});
