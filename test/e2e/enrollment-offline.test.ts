import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startDemoCloud } from '../../emulators/graph/demo';
import type { DemoCloud } from '../../emulators/graph/demo';
import { openApp, signInForFixes } from '../helpers/app-page';
import type { OpenApp } from '../helpers/app-page';

const holderUpn = 'helene.leger-dupre@clinique-demo.fr';

/**
 * Offline at the desk, in the browser shell: Graph unreachable → search fails → the agent queues the enrollment by
 * UPN → the network comes back → the app replays it by itself (no click) → the emulated tenant holds the value,
 * the CBA group has the holder, and the journal says queued then replayed.
 */
describe('offline enrollment at the desk (browser shell, demo cloud, virtual card)', () => {
  let cloud: DemoCloud;
  let app: OpenApp;
  let page: Page;

  const holder = () => cloud.graph.tenant('clinique-demo').users.find((u) => u.userPrincipalName === holderUpn);
  const valuesOf = () =>
    (holder()?.authorizationInfo as { certificateUserIds?: string[] } | undefined)?.certificateUserIds ?? [];

  beforeAll(async () => {
    const started = startDemoCloud();
    cloud = await started;
    app = await openApp({ runtime: { demoCloud: started } });
    ({ page } = app);
    await page.getByRole('heading', { level: 1, name: 'Guichet' }).waitFor();
    await page.getByTestId('card-panel').waitFor();
    await signInForFixes(page);
  });

  afterAll(async () => {
    await cloud.graph.setOffline(false);
    await app.close();
    await cloud.close();
  });

  it('queues the enrollment by UPN when Graph cannot be reached', async () => {
    expect(valuesOf()).toEqual([]);
    await cloud.graph.setOffline(true);
    await page.getByRole('button', { name: 'Rechercher le compte du praticien' }).click();
    const offline = page.getByTestId('enrollment-offline');
    await offline.waitFor();
    await expect(offline.textContent()).resolves.toContain('injoignable');

    await page.getByLabel('UPN du praticien').fill(holderUpn);
    await page.getByRole('button', { name: 'Mettre en file d’attente' }).click();

    await page.getByTestId('enrollment-outcome').filter({ hasText: 'file d’attente' }).waitFor();
    const item = page.getByTestId('queue-item').first();
    await item.waitFor();
    await expect(item.textContent()).resolves.toContain(holderUpn);
    expect(valuesOf()).toEqual([]);
  });

  it('replays it automatically when the network is back: the tenant holds the value, the journal says so', async () => {
    await cloud.graph.setOffline(false);
    // No click on "Rejouer maintenant": the service probes with backoff and replays on its own.
    await page
      .getByTestId('queue-panel')
      .filter({ hasText: 'Aucune opération en attente' })
      .waitFor({ timeout: 60_000 });
    const values = valuesOf();
    expect(values).toHaveLength(1);
    expect(values[0]).toMatch(/^X509:<SKI>[0-9A-F]{40}$/i);
    const tenant = cloud.graph.tenant('clinique-demo');
    const group = tenant.groups.find((g) => g.displayName === 'GG-PSC-Praticiens');
    expect(tenant.members[String(group?.id)]).toContain(holder()?.id);

    await page.getByRole('tab', { name: 'Rapports' }).click();
    await page.getByTestId('journal-verification').filter({ hasText: 'Journal intègre' }).waitFor();
    const journal = (await page.getByTestId('journal-panel').textContent()) ?? '';
    expect(journal).toContain('Mise en file d’attente');
    expect(journal).toContain('Rejouée depuis la file');
    expect(journal).toContain('Recherche en échec');
    expect(journal).toContain(holderUpn);
  }, 90_000);

  it('renews offline: a new card queued with the renewal ticked replaces the previous card’s value on replay', async () => {
    const previous = valuesOf();
    expect(previous).toHaveLength(1);
    await page.getByRole('tab', { name: 'Guichet' }).click();
    await page.getByLabel('Carte virtuelle').selectOption({ label: 'CPS3 (contact)' });
    await page.getByRole('button', { name: 'Insérer' }).click();
    await page.waitForFunction((old) => {
      const shown = document.querySelector('[data-testid="mapping-SKI"]')?.textContent ?? '';
      return shown !== '' && !shown.includes(old.replace('X509:<SKI>', ''));
    }, previous[0] ?? '');

    await cloud.graph.setOffline(true);
    await page.getByRole('button', { name: 'Rechercher le compte du praticien' }).click();
    const offline = page.getByTestId('enrollment-offline');
    await offline.waitFor();
    await offline.getByLabel('UPN du praticien').fill(holderUpn);
    await offline
      .getByLabel('Renouvellement de carte : remplacer les valeurs de l’ancienne carte de ce praticien')
      .check();
    await offline.getByRole('button', { name: 'Mettre en file d’attente' }).click();
    await page.getByTestId('queue-item').filter({ hasText: holderUpn }).waitFor();
    expect(valuesOf()).toEqual(previous);

    await cloud.graph.setOffline(false);
    await page
      .getByTestId('queue-panel')
      .filter({ hasText: 'Aucune opération en attente' })
      .waitFor({ timeout: 60_000 });
    const renewed = valuesOf();
    expect(renewed).toHaveLength(1);
    expect(renewed[0]).toMatch(/^X509:<SKI>[0-9A-F]{40}$/i);
    expect(renewed).not.toEqual(previous);
  }, 90_000);

  /** Queue a write by UPN while Graph is offline, from the desk (the demo card stays in the reader). */
  const queueOfflineFor = async (upn: string) => {
    await page.getByRole('tab', { name: 'Guichet' }).click();
    await page.getByTestId('card-panel').waitFor();
    await cloud.graph.setOffline(true);
    await page.getByRole('button', { name: 'Rechercher le compte du praticien' }).click();
    await page.getByTestId('enrollment-offline').waitFor();
    await page.getByLabel('UPN du praticien').fill(upn);
    await page.getByRole('button', { name: 'Mettre en file d’attente' }).click();
    await page.getByTestId('queue-item').filter({ hasText: upn }).waitFor();
    await cloud.graph.setOffline(false);
  };
  const emptyQueue = () =>
    page.getByTestId('queue-panel').filter({ hasText: 'Aucune opération en attente' }).waitFor({ timeout: 60_000 });

  it('holds a step queued for another account than the card holder, says so, and the agent removes it', async () => {
    const other = cloud.graph
      .tenant('clinique-demo')
      .users.find((u) => u.id === '00000002-0001-4000-8000-000000000014');
    const otherUpn = typeof other?.userPrincipalName === 'string' ? other.userPrincipalName : '';
    const before = JSON.stringify(other?.authorizationInfo ?? null);
    await queueOfflineFor(otherUpn);

    // Replayed by itself, then held: the account does not carry the card holder's identifier nor name.
    const held = page.locator('[data-testid="queue-item"][data-state="needs-confirmation"]');
    await held.waitFor({ timeout: 60_000 });
    await expect(held.textContent()).resolves.toContain('ne correspond pas avec certitude au titulaire');
    await page.getByTestId('queue-announcement').filter({ hasText: 'Rejeu suspendu' }).waitFor();
    expect(JSON.stringify(other?.authorizationInfo ?? null)).toBe(before);

    await held.getByRole('button', { name: 'Retirer de la file' }).click();
    await emptyQueue();
    expect(JSON.stringify(other?.authorizationInfo ?? null)).toBe(before);
  }, 120_000);

  it('keeps a refused replay in the panel with its reason, announces it, retries and removes it on request', async () => {
    const typo = 'helene.leger-dupree@clinique-demo.fr';
    await queueOfflineFor(typo);
    const refused = page.locator('[data-testid="queue-item"][data-state="failed-permanent"]');
    await refused.waitFor({ timeout: 60_000 });
    await expect(refused.textContent()).resolves.toContain('Échec définitif');
    await page.locator('[data-testid="queue-alert"][role="alert"]').filter({ hasText: 'Rejeu refusé' }).waitFor();

    // Queued (1st attempt, offline), replayed (2nd, refused), retried by the agent (3rd, refused again).
    await refused.getByRole('button', { name: 'Réessayer' }).click();
    await page
      .locator('[data-testid="queue-item"][data-state="failed-permanent"]')
      .filter({ hasText: '3 tentative' })
      .waitFor();
    await page
      .locator('[data-testid="queue-item"][data-state="failed-permanent"]')
      .getByRole('button', { name: 'Retirer de la file' })
      .click();
    await emptyQueue();

    await page.getByRole('tab', { name: 'Rapports' }).click();
    await page.getByTestId('journal-verification').filter({ hasText: 'Journal intègre' }).waitFor();
    const journal = (await page.getByTestId('journal-panel').textContent()) ?? '';
    expect(journal).toContain('Suspendue : compte à confirmer');
    expect(journal).toContain('Rejeu refusé définitivement');
    expect(journal).toContain('Nouvel essai demandé par l’agent');
    expect(journal).toContain('Retirée de la file par l’agent');
  }, 120_000);
});
