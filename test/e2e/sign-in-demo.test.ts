import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { DemoCloud } from '../../emulators/graph/demo';
import { startDemoCloud } from '../../emulators/graph/demo';
import { assertConformant, createGraphConformanceChecker } from '../helpers/emulators/graph-conformance';
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

/**
 * Conditional access asks for an auth context a refresh token cannot obtain: the failed read opens the global
 * prompt, "Se reconnecter" signs in again with the challenge's claims, and reading again succeeds.
 */
describe('conditional-access step-up from a failed read (browser shell)', () => {
  let app: OpenApp;
  let page: Page;
  let cloud: DemoCloud;

  beforeAll(async () => {
    cloud = await startDemoCloud({
      authority: { interactionOnlyAcrs: ['c1'] },
      graph: {
        faults: [{ kind: 'claims', route: /^GET \/organization$/, acrs: 'c1' }],
        conformance: createGraphConformanceChecker(),
      },
    });
    app = await openApp({ runtime: { demoCloud: Promise.resolve(cloud) } });
    ({ page } = app);
    await page.getByRole('tab', { name: 'Checklist' }).click();
    await page.getByTestId('page-checklist').waitFor();
  });

  afterAll(async () => {
    await app.close();
    await cloud.close();
    assertConformant(cloud.graph.violations);
  });

  it('offers « Se reconnecter », which satisfies the challenge, and the read then succeeds', async () => {
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Se connecter' }).click();
    await page.getByTestId('account-chip').waitFor();

    const prompt = page.getByTestId('auth-challenge');
    await prompt.filter({ hasText: 'Nouvelle authentification demandée' }).waitFor();
    await prompt.getByRole('button', { name: 'Se reconnecter' }).click();
    await page.getByTestId('auth-challenge-done').waitFor();
    await prompt.getByRole('button', { name: 'Fermer' }).click();

    await page.getByRole('button', { name: 'Relire' }).click();
    await page.getByTestId('tenant-overview').filter({ hasText: 'Clinique Démo Saint-Martin' }).waitFor();
    const served = cloud.graph.requests.filter((r) => r.path.split('?')[0] === '/organization');
    expect(served.at(-1)?.status).toBe(200);
    expect(served.some((r) => r.status === 401)).toBe(true);
  });
});
