import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { startDemoCloud } from '../../emulators/graph/demo';
import type { DemoCloud } from '../../emulators/graph/demo';
import { openApp, signInForFixes } from '../helpers/app-page';
import type { OpenApp } from '../helpers/app-page';
import { repoRoot } from '../helpers/shell';

const holderUpn = 'helene.leger-dupre@clinique-demo.fr';

/** Raw journal codes that must never reach the agent's screen. */
const rawCodes = ['mapping-written', 'preview-read', 'graph.offline', 'search-failed', 'attempt', 'replayed', 'queued'];

/** Text of a locator, collapsed (the live regions hold one span per message). */
const textOf = async (locator: Locator) => ((await locator.textContent()) ?? '').replace(/\s+/g, ' ');

/**
 * What a screen reader hears at the desk: every outcome message reaches the app's polite live region (role=status),
 * errors its alert region; the queue panel announces a step queued and replayed politely. Then the journal in
 * Rapports: translated, with column headers and the agent, and no overlapping cells at 512 px (200 % zoom).
 */
describe('announcements and journal (browser shell, demo cloud, virtual card)', () => {
  let cloud: DemoCloud;
  let app: OpenApp;
  let page: Page;

  const polite = () => page.locator('[data-testid="live-polite"][role="status"][aria-live="polite"]');
  const alertRegion = () => page.locator('[data-testid="live-alert"][role="alert"]');
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

  it('has exactly one polite and one assertive app-wide region, present before any message', async () => {
    await expect(polite().count()).resolves.toBe(1);
    await expect(alertRegion().count()).resolves.toBe(1);
  });

  it('announces the preview’s messages politely', async () => {
    await page.getByRole('button', { name: 'Rechercher le compte du praticien' }).click();
    await page.getByTestId('candidate').first().waitFor();
    await page.getByRole('button', { name: 'Prévisualiser' }).click();
    const preview = page.getByTestId('plan-preview');
    await preview.waitFor();
    // Each bar of the preview (here: why PrincipalName is left out) is read out through the polite region.
    const bar = preview.getByRole('group').first();
    const body = (await bar.textContent()) ?? '';
    expect(body).toContain('PrincipalName');
    await polite().filter({ hasText: 'PrincipalName' }).waitFor();
    await expect(textOf(alertRegion())).resolves.not.toContain('PrincipalName');
  });

  it('announces a write politely: « Association écrite et vérifiée »', async () => {
    await page.getByRole('button', { name: 'Écrire l’association' }).click();
    await page.getByTestId('enrollment-outcome').filter({ hasText: 'Association écrite et vérifiée' }).waitFor();
    await polite()
      .filter({ hasText: `Association écrite et vérifiée pour ${holderUpn}` })
      .waitFor();
    await expect(textOf(alertRegion())).resolves.not.toContain('Association écrite');
    expect(valuesOf()).toHaveLength(1);
  });

  it('announces offline queueing and the replay politely', async () => {
    const previous = valuesOf();
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

    // The desk's outcome bar and the queue panel both speak, politely.
    await polite().filter({ hasText: 'est en file d’attente' }).waitFor();
    const queueStatus = page.locator('[data-testid="queue-status"][role="status"][aria-live="polite"]');
    await queueStatus.filter({ hasText: `Mise en file d’attente pour ${holderUpn}` }).waitFor();
    await expect(textOf(page.getByTestId('queue-alert'))).resolves.toBe('');

    await cloud.graph.setOffline(false);
    await queueStatus.filter({ hasText: 'Rejouée avec succès pour' }).waitFor({ timeout: 60_000 });
    await page.getByTestId('queue-panel').filter({ hasText: 'Aucune opération en attente' }).waitFor();
    await expect(page.getByTestId('queue-alert').getAttribute('role')).resolves.toBe('alert');
    expect(valuesOf()).toHaveLength(1);
    expect(valuesOf()).not.toEqual(previous);
  }, 90_000);

  it('shows the journal translated, with headers and the agent, in French', async () => {
    await page.getByRole('tab', { name: 'Rapports' }).click();
    await page.getByTestId('journal-verification').filter({ hasText: 'Journal intègre' }).waitFor();
    const panel = page.getByTestId('journal-panel');
    const headers = await panel.getByRole('columnheader').allTextContents();
    expect(headers).toEqual(['N°', 'Date', 'Action', 'Agent', 'Compte', 'Résultat']);

    const written = panel.locator('[data-testid="journal-entry"][data-kind="mapping-written"]').first();
    const cells = await written.getByRole('cell').allTextContents();
    expect(cells[2]).toBe('Association écrite');
    expect(cells[3]).toMatch(/@/);
    expect(cells[4]).toBe(holderUpn);
    expect(cells[5]).toContain('écrite et vérifiée');
    expect(cells[5]).toContain('1 valeur(s) ajoutée(s)');

    const queued = panel.locator('[data-testid="journal-entry"][data-kind="queued"]').first();
    const queuedCells = await queued.getByRole('cell').allTextContents();
    expect(queuedCells[2]).toBe('Mise en file d’attente');
    expect(queuedCells[5]).toMatch(/injoignable/i);

    const actionsAndResults = (await panel.locator('[data-testid="journal-entry"]').all()).map(async (row) => {
      const texts = await row.getByRole('cell').allTextContents();
      return `${texts[2] ?? ''} | ${texts[5] ?? ''}`;
    });
    const shown = (await Promise.all(actionsAndResults)).join('\n');
    for (const code of rawCodes) {
      expect(shown).not.toContain(code);
    }
  });

  it('keeps every journal cell inside its column at 512 px wide (200 % zoom)', async () => {
    await page.setViewportSize({ width: 512, height: 800 });
    const panel = page.getByTestId('journal-panel');
    const overlaps = await panel.evaluate((root) => {
      const found: string[] = [];
      for (const row of Array.from(root.querySelectorAll('tr'))) {
        const cells = Array.from(row.querySelectorAll('td, th'));
        cells.forEach((cell, i) => {
          const box = cell.getBoundingClientRect();
          const next = cells[i + 1]?.getBoundingClientRect();
          if (next !== undefined && box.right > next.left + 0.5) {
            found.push(`cell ${String(i)} runs into the next: ${cell.textContent}`);
          }
          if (cell.scrollWidth > cell.clientWidth + 1) {
            found.push(`cell ${String(i)} overflows: ${cell.textContent}`);
          }
        });
      }
      const card = root.getBoundingClientRect();
      if (card.right > document.documentElement.clientWidth + 0.5) {
        found.push('the journal card is wider than the window');
      }
      return found;
    });
    await panel.screenshot({ path: join(repoRoot, 'test-results', 'journal-512.png') });
    expect(overlaps).toEqual([]);
  });
});
