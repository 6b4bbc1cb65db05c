import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openApp } from '../helpers/app-page';
import type { OpenApp } from '../helpers/app-page';

/** Demo mode signs in against the authority emulator and reads the `clinique-demo` tenant from the Graph emulator. */
describe('sign-in and tenant overview in demo mode (browser shell)', () => {
  let app: OpenApp;
  let page: Page;

  beforeAll(async () => {
    app = await openApp();
    ({ page } = app);
    await page.getByRole('tab', { name: 'Checklist' }).click();
    await page.getByTestId('page-checklist').waitFor();
  });

  afterAll(async () => {
    await app.close();
  });

  it('asks to sign in before reading the tenant', async () => {
    await expect(page.getByTestId('page-checklist').textContent()).resolves.toContain('Connectez-vous pour lire');
  });

  it('explains an unknown tenant in French and keeps the dialog open', async () => {
    await page.getByRole('button', { name: 'Se connecter' }).click();
    const tenant = page.getByLabel('Locataire (domaine ou identifiant)');
    await tenant.fill('inconnu.example');
    await page.getByRole('dialog').getByRole('button', { name: 'Se connecter' }).click();

    await page.getByTestId('sign-in-error').filter({ hasText: 'Locataire introuvable' }).waitFor();
  });

  it('signs the demo admin in with read-only access and reads the demo clinic', async () => {
    await page.getByLabel('Locataire (domaine ou identifiant)').fill('clinique-demo.fr');
    await page.getByRole('dialog').getByRole('button', { name: 'Se connecter' }).click();

    const chip = page.getByTestId('account-chip');
    await chip.waitFor();
    await expect(chip.textContent()).resolves.toContain('camille.admin@clinique-demo.fr');
    await expect(chip.textContent()).resolves.toContain('Lecture');
    const overview = page.getByTestId('tenant-overview');
    await overview.filter({ hasText: 'Clinique Démo Saint-Martin' }).waitFor();
    await expect(overview.textContent()).resolves.toContain('clinique-demo.fr');
    await expect(overview.textContent()).resolves.toMatch(/Utilisateurs\d+/);
  });

  it('signs out', async () => {
    await page.getByTestId('account-chip').click();
    await page.getByRole('menuitem', { name: 'Se déconnecter' }).click();

    await page.getByRole('button', { name: 'Se connecter' }).waitFor();
    await expect(page.getByTestId('page-checklist').textContent()).resolves.toContain('Connectez-vous pour lire');
  });
});
