import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { startDemoCloud } from '../../emulators/graph/demo';
import type { DemoCloud } from '../../emulators/graph/demo';
import { openApp } from '../helpers/app-page';
import type { OpenApp } from '../helpers/app-page';

/**
 * Keyboard users never lose their place: after each action whose button disappears or is busy (sign-in, the
 * mode-switch confirmation dismissed with Escape, search, preview, write, queued removal, bulk check), focus is on a
 * meaningful element — never dropped to `<body>`, which sends them back to the top of the page. Last, from the same
 * Paramètres page: the demo trust material the Guichet uses is listed there too.
 */
describe('keyboard focus after actions (browser shell, demo mode)', () => {
  let cloud: DemoCloud;
  let app: OpenApp;
  let page: Page;
  let dir: string;

  /** What holds focus: its tag, test id and accessible text, or `body`. */
  const focused = () =>
    page.evaluate(() => {
      const active = document.activeElement;
      // A disabled or detached element still reported as active is focus lost all the same.
      if (active === null || active === document.body || !active.isConnected || active.matches(':disabled')) {
        return 'body';
      }
      const id = active.getAttribute('data-testid');
      return `${active.tagName.toLowerCase()}${id === null ? '' : `#${id}`}: ${active.textContent.trim().slice(0, 60)}`;
    });
  const focusedTestId = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);

  /** Press a button from the keyboard, as a keyboard user does. */
  const press = async (button: Locator) => {
    await button.focus();
    await page.keyboard.press('Enter');
  };
  /** The action is over once the pressed button is no longer busy (aria-disabled while it runs). */
  const settled = (button: Locator) =>
    expect.poll(() => button.getAttribute('aria-disabled'), { timeout: 15_000 }).not.toBe('true');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'psc-focus-'));
    const started = startDemoCloud();
    cloud = await started;
    app = await openApp({ runtime: { demoCloud: started } });
    page = app.page;
    await page.getByTestId('card-panel').waitFor();
  });

  afterAll(async () => {
    await app.close();
    await cloud.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps focus in the bulk panel after « Vérifier » (here refused: nobody signed in)', async () => {
    const csv = join(dir, 'rows.csv');
    await writeFile(csv, 'user;certificate\nhelene.leger-dupre@clinique-demo.fr;missing.cer\n');
    await page.getByTestId('bulk-file').setInputFiles(csv);
    await page.getByTestId('bulk-error').waitFor();
    const check = page.getByTestId('bulk-check');

    await press(check);
    await settled(check);

    await expect.poll(focused).not.toBe('body');
    await expect(page.getByTestId('bulk-error').textContent()).resolves.toContain('Connectez-vous');
  });

  it('gives focus back to « Se connecter » when the sign-in dialog is dismissed with Escape', async () => {
    await press(page.getByRole('button', { name: 'Se connecter' }));
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    await expect.poll(focused).toMatch(/^button: Se connecter$/);
  });

  it('focuses the account chip after a successful sign-in', async () => {
    await press(page.getByRole('button', { name: 'Se connecter' }));
    await page.getByLabel('Correction (écriture : corriger, associer des cartes)').check();
    await press(page.getByRole('dialog').getByRole('button', { name: 'Se connecter' }));
    await page.getByTestId('account-chip').waitFor();

    await expect.poll(focusedTestId).toBe('account-chip');
  });

  it('keeps focus on the way to a written mapping: search, preview, write', async () => {
    const search = page.getByRole('button', { name: 'Rechercher le compte du praticien' });
    await press(search);
    await page.getByTestId('candidate').first().waitFor();
    await settled(search);
    await expect.poll(focused).not.toBe('body');

    const preview = page.getByRole('button', { name: 'Prévisualiser' });
    await press(preview);
    await page.getByTestId('plan-added').waitFor();
    await settled(preview);
    await expect.poll(focused).not.toBe('body');

    await press(page.getByRole('button', { name: 'Écrire l’association' }));
    await page.getByTestId('enrollment-outcome').filter({ hasText: 'Association écrite et vérifiée' }).waitFor();
    await expect.poll(focused).not.toBe('body');
  });

  it('keeps focus after queueing a removal while Graph is offline', async () => {
    const search = page.getByRole('button', { name: 'Rechercher le compte du praticien' });
    await press(search);
    await page.getByTestId('candidate').first().waitFor();
    await settled(search);
    await cloud.graph.setOffline(true);
    try {
      await press(page.getByRole('button', { name: 'Retirer les valeurs de cette carte' }));
      await page.getByTestId('enrollment-offline').waitFor();

      await press(page.getByRole('button', { name: 'Mettre le retrait en file d’attente' }));
      await page.getByTestId('enrollment-outcome').filter({ hasText: 'file d’attente' }).waitFor();

      await expect.poll(focused).not.toBe('body');
    } finally {
      await cloud.graph.setOffline(false);
    }
  });

  it('gives focus back to « Passer en mode réel » when its confirmation is dismissed with Escape', async () => {
    await page.getByRole('tab', { name: 'Paramètres' }).click();
    await press(page.getByRole('button', { name: 'Passer en mode réel' }));
    const dialog = page.getByRole('alertdialog', { name: 'Passer en mode réel ?' });
    await dialog.waitFor();

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    await expect.poll(focusedTestId).toBe('mode-switch');
  });

  // Same window, already on Paramètres: the trust tables agree with the Guichet's « IGC-Santé reconnue ».
  it('lists the demo CAs and CRL in Paramètres with a « DÉMO » badge and no « Retirer » button', async () => {
    const cas = page.getByTestId('trust-ca-table');
    await cas.waitFor();

    await expect(cas.getByTestId('trust-demo-badge').count()).resolves.toBeGreaterThanOrEqual(2);
    await expect(cas.getByRole('button', { name: /^Retirer l’autorité/ }).count()).resolves.toBe(0);
    await expect(page.getByTestId('trust-crl-table').getByTestId('trust-demo-badge').count()).resolves.toBe(1);
  });

  // Last (it leaves the window in English): the demo reader's technical name never reaches the English UI.
  it('shows and announces the demo reader under its English name in English', async () => {
    await page.getByLabel('Langue', { exact: true }).selectOption('en');
    await page.getByRole('tab', { name: 'Desk' }).click();
    await page.getByRole('combobox', { name: 'Virtual card', exact: true }).selectOption({ index: 0 });
    await page.getByRole('button', { name: 'Insert', exact: true }).click();
    await page.getByTestId('desk-announcement').filter({ hasText: 'Card read' }).waitFor();

    await expect(page.getByTestId('reader').first().textContent()).resolves.toContain('Virtual reader (demo)');
    await expect(page.locator('main').textContent()).resolves.not.toContain('Lecteur virtuel');
  });
});
