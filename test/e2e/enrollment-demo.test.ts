import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startDemoCloud } from '../../emulators/graph/demo';
import type { DemoCloud } from '../../emulators/graph/demo';
import { DEFAULT_PRACTITIONER } from '../../emulators/card/certificates';
import { openApp } from '../helpers/app-page';
import type { OpenApp } from '../helpers/app-page';
import { repoRoot } from '../helpers/shell';
import type { RunningShell } from '../helpers/shell';

const holderUpn = 'helene.leger-dupre@clinique-demo.fr';

/**
 * The desk's whole job in the browser shell: card inserted → account found → plan previewed → mapping written and
 * visible in the emulated tenant → journal entry; then offline: removal queued, replayed when the network is back.
 */
describe('enrollment at the desk (browser shell, demo cloud, virtual card)', () => {
  let cloud: DemoCloud;
  let running: RunningShell;
  let app: OpenApp;
  let page: Page;

  const holder = () => {
    const user = cloud.graph.tenant('clinique-demo').users.find((u) => u.userPrincipalName === holderUpn);
    expect(user).toBeDefined();
    return user!;
  };
  const valuesOf = (user: Record<string, unknown>) =>
    (user.authorizationInfo as { certificateUserIds: string[] }).certificateUserIds;

  beforeAll(async () => {
    const started = startDemoCloud();
    cloud = await started;
    app = await openApp({ runtime: { demoCloud: started } });
    ({ running, page } = app);
    await page.getByRole('heading', { level: 1, name: 'Guichet' }).waitFor();
  });

  afterAll(async () => {
    await app.close();
    await cloud.close();
  });

  it('asks for a fix-mode sign-in before writing', async () => {
    await page.getByTestId('card-panel').waitFor();
    await expect(page.getByTestId('enrollment-panel').textContent()).resolves.toContain(
      'Connectez-vous en mode correction',
    );

    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByLabel('Correction (écriture : corriger, associer des cartes)').check();
    await page.getByRole('dialog').getByRole('button', { name: 'Se connecter' }).click();

    await expect(page.getByTestId('account-chip').textContent()).resolves.toContain('Écriture');
  });

  it('finds the holder by the RPPS held in employeeId and previews the exact Graph requests', async () => {
    await page.getByRole('button', { name: 'Rechercher le compte du praticien' }).click();

    const first = page.getByTestId('candidate').first();
    await first.waitFor();
    await expect(first.textContent()).resolves.toContain(holderUpn);
    await expect(first.textContent()).resolves.toContain('même matricule (employeeId)');

    await page.getByRole('button', { name: 'Prévisualiser' }).click();
    const added = page.getByTestId('plan-added');
    await added.waitFor();
    // The demo clinic keeps Entra's default bindings, where only the SKI reaches certificateUserIds: the plan writes
    // what the tenant will match and says why PrincipalName is left out.
    await expect(added.textContent()).resolves.toMatch(/^X509:<SKI>[0-9A-F]{40}$/i);
    await expect(page.getByTestId('plan-preview').textContent()).resolves.toContain('PrincipalName');
    await expect(page.getByTestId('plan-requests').textContent()).resolves.toMatch(/PATCH .*\/users\//);
    expect(valuesOf(holder())).toEqual([]);
  });

  it('writes the mapping, which the emulated tenant then holds, and journals it', async () => {
    await page.getByRole('button', { name: 'Écrire l’association' }).click();

    await page.getByTestId('enrollment-outcome').filter({ hasText: 'Association écrite et vérifiée' }).waitFor();
    const values = valuesOf(holder());
    expect(values).toHaveLength(1);
    expect(values[0]).toMatch(/^X509:<SKI>[0-9A-F]{40}$/i);
    expect(values).not.toContain(`X509:<PN>8.${DEFAULT_PRACTITIONER.nationalId}@carte-cps.fr`);
    const tenant = cloud.graph.tenant('clinique-demo');
    const cbaGroup = tenant.groups.find((group) => group.displayName === 'GG-PSC-Praticiens');
    expect(tenant.members[String(cbaGroup?.id)]).toContain(holder().id);

    await page.getByRole('tab', { name: 'Rapports' }).click();
    await page.getByTestId('journal-verification').filter({ hasText: 'Journal intègre' }).waitFor();
    await expect(page.getByTestId('journal-panel').textContent()).resolves.toContain(holderUpn);
  });

  it('renews: a new card replaces the previous card’s value after confirmation', async () => {
    const previous = valuesOf(holder());
    await page.getByRole('tab', { name: 'Guichet' }).click();
    await page.getByLabel('Carte virtuelle').selectOption({ label: 'CPS3 (contact)' });
    await page.getByRole('button', { name: 'Insérer' }).click();
    await page.getByTestId('enrollment-panel').filter({ hasText: 'Rechercher le compte du praticien' }).waitFor();
    await page.waitForFunction(
      (old) =>
        !document.querySelector('[data-testid="mapping-SKI"]')?.textContent.includes(old.replace('X509:<SKI>', '')),
      previous[0] ?? '',
    );

    await page.getByRole('button', { name: 'Rechercher le compte du praticien' }).click();
    await page.getByTestId('candidate').first().waitFor();
    // Previewed without the renewal ticked, the desk points at the old card's value the write would keep.
    await page.getByRole('button', { name: 'Prévisualiser' }).click();
    const otherCard = page.getByTestId('plan-other-card');
    await otherCard.filter({ hasText: 'S’il s’agit d’un renouvellement' }).waitFor();
    await expect(otherCard.textContent()).resolves.toContain(previous[0] ?? 'missing');
    await page
      .getByLabel('Renouvellement de carte : remplacer les valeurs de l’ancienne carte de ce praticien')
      .check();
    await page.getByRole('button', { name: 'Prévisualiser' }).click();
    await page.getByTestId('plan-preview').filter({ hasText: 'Valeurs retirées' }).waitFor();
    await page.getByRole('button', { name: 'Écrire l’association' }).click();

    await page.getByTestId('enrollment-outcome').filter({ hasText: 'Association écrite et vérifiée' }).waitFor();
    const renewed = valuesOf(holder());
    expect(renewed).toHaveLength(1);
    expect(renewed[0]).toMatch(/^X509:<SKI>[0-9A-F]{40}$/i);
    expect(renewed).not.toEqual(previous);
  });

  it('queues a removal while Graph is offline and replays it when the network is back', async () => {
    await page.getByRole('tab', { name: 'Guichet' }).click();
    await page.getByRole('button', { name: 'Rechercher le compte du praticien' }).click();
    await page.getByTestId('candidate').first().waitFor();
    await cloud.graph.setOffline(true);

    // The removal preview cannot read the account offline: the agent queues the removal instead.
    await page.getByRole('button', { name: 'Retirer les valeurs de cette carte' }).click();
    await page.getByTestId('enrollment-offline').waitFor();
    await page.getByRole('button', { name: 'Mettre le retrait en file d’attente' }).click();

    await page.getByTestId('enrollment-outcome').filter({ hasText: 'file d’attente' }).waitFor();
    await page.getByTestId('queue-item').first().waitFor();
    expect(valuesOf(holder()).length).toBeGreaterThan(0);

    await cloud.graph.setOffline(false);
    await page.getByRole('button', { name: 'Rejouer maintenant' }).click();

    await page.getByTestId('queue-panel').filter({ hasText: 'Aucune opération en attente' }).waitFor();
    expect(valuesOf(holder())).toEqual([]);
  });

  it('refuses to map a revoked card in the preview, and writes nothing', async () => {
    const before = valuesOf(holder());
    await page.getByRole('tab', { name: 'Guichet' }).click();
    await page.getByLabel('Carte virtuelle').selectOption({ label: 'Carte révoquée' });
    await page.getByRole('button', { name: 'Insérer' }).click();
    // Case-sensitive: a string would also match the previous card's « Non révoquée ».
    await page
      .getByTestId('card-panel')
      .filter({ hasText: /RÉVOQUÉE/ })
      .waitFor();

    await page.getByRole('button', { name: 'Rechercher le compte du praticien' }).click();
    await page.getByTestId('candidate').first().waitFor();
    await page.getByRole('button', { name: 'Prévisualiser' }).click();

    await page.getByTestId('plan-refusal').filter({ hasText: 'Carte révoquée (perdue, volée ou remplacée)' }).waitFor();
    expect(valuesOf(holder())).toEqual(before);
  });

  it('leaves a journal that the command-line verifier accepts', () => {
    const verify = spawnSync(
      process.execPath,
      [
        join(repoRoot, 'bin', 'psc-assistant.mjs'),
        'journal',
        'verify',
        '--db',
        join(running.dataDir, 'psc-assistant.db'),
      ],
      { encoding: 'utf8' },
    );

    expect(verify.status).toBe(0);
    expect(verify.stdout + verify.stderr).toMatch(/intègre|intact/i);
  });
});
