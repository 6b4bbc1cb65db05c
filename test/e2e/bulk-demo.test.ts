import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEFAULT_PRACTITIONER, getSharedTestPki, issueCardCertificates } from '../../emulators/card/certificates';
import { startDemoCloud } from '../../emulators/graph/demo';
import type { DemoCloud } from '../../emulators/graph/demo';
import { openApp, signInForFixes } from '../helpers/app-page';
import type { OpenApp } from '../helpers/app-page';

const pem = (der: Uint8Array) =>
  `-----BEGIN CERTIFICATE-----\n${Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----`;

const ROWS = 24;

/**
 * Bulk enrollment in the browser shell against the demo cloud: the preview shows each row's status and conflicts
 * (read from the emulated tenant), apply writes what the tenant's bindings match, cancel pauses the job with its
 * processed rows kept, resume finishes it, and the results file is offered.
 */
describe('bulk enrollment (browser shell, demo cloud)', () => {
  let cloud: DemoCloud;
  let app: OpenApp;
  let page: Page;
  let csv: string;

  const tenant = () => cloud.graph.tenant('clinique-demo');
  const upnOf = (i: number) => `lot.${String(i)}@clinique-demo.fr`;
  const valuesOf = (upn: string) => {
    const user = tenant().users.find((u) => u.userPrincipalName === upn);
    return (user?.authorizationInfo as { certificateUserIds?: string[] } | undefined)?.certificateUserIds ?? [];
  };
  const panel = () => page.getByTestId('bulk-panel');

  beforeAll(async () => {
    const pki = await getSharedTestPki();
    const certs: Uint8Array[] = [];
    for (let i = 0; i < ROWS; i++) {
      const issued = await issueCardCertificates(pki, {
        ...DEFAULT_PRACTITIONER,
        surname: `LOT${String(i)}`,
        nationalId: String(10_100_000_100 + i),
        cardNumber: String(2_800_000_100 + i),
      });
      certs.push(issued.authentication.der);
    }
    csv = [
      'utilisateur;certificat',
      ...certs.map((der, i) => `${upnOf(i)};"${pem(der)}"`),
      `absent@clinique-demo.fr;"${pem(certs[0] ?? new Uint8Array())}"`,
    ].join('\r\n');

    const started = startDemoCloud();
    cloud = await started;
    for (let i = 0; i < ROWS; i++) {
      tenant().users.push({
        id: `00000002-0077-4000-8000-${String(i + 1).padStart(12, '0')}`,
        displayName: `Lot ${String(i)}`,
        userPrincipalName: upnOf(i),
        onPremisesSyncEnabled: null,
        authorizationInfo: { certificateUserIds: [] },
      });
    }
    app = await openApp({ runtime: { demoCloud: started } });
    ({ page } = app);
    await signInForFixes(page);
  });

  afterAll(async () => {
    await app.close();
    await cloud.close();
  });

  it('previews every row against the tenant: SKI only (default bindings), conflicts and unknown accounts', async () => {
    await page
      .getByTestId('bulk-file')
      .setInputFiles({ name: 'enrolement.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await panel()
      .filter({ hasText: `Aperçu : ${String(ROWS + 1)} ligne(s)` })
      .waitFor();
    const first = page.getByTestId('bulk-row').nth(0);
    const value = /X509:<SKI>[0-9A-F]+/.exec((await first.textContent()) ?? '')?.[0] ?? '';
    expect(value).not.toBe('');
    await expect(first.textContent()).resolves.not.toContain('X509:<PN>');
    await expect(first.locator('[data-status]').getAttribute('data-status')).resolves.toBe('ok');

    const last = page.getByTestId('bulk-row').nth(ROWS);
    await expect(last.locator('[data-status]').getAttribute('data-status')).resolves.toBe('user-not-found');
    await expect(last.textContent()).resolves.toContain('Compte introuvable');

    // Another account now holds row 1's value: checking again shows the conflict and who holds it.
    const holder = tenant().users.find((u) => u.userPrincipalName === 'julien.bernard@clinique-demo.fr');
    const before = holder?.authorizationInfo;
    if (holder !== undefined) {
      holder.authorizationInfo = { certificateUserIds: [value] };
    }
    await page.getByTestId('bulk-check').click();
    await panel().locator('[data-status="conflict"]').waitFor();
    await expect(page.getByTestId('bulk-row').nth(0).textContent()).resolves.toContain(
      `${value} déjà porté par julien.bernard@clinique-demo.fr`,
    );
    if (holder !== undefined) {
      holder.authorizationInfo = before ?? { certificateUserIds: [] };
    }
  });

  it('applies with progress, cancels (processed rows kept), resumes to the end, offers the results', async () => {
    // Slow Graph down so the job is still running when the agent cancels.
    cloud.graph.setFaults([{ kind: 'latency', route: /^(GET|PATCH|POST) \/(users|groups)/, latencyMs: 400 }]);
    await panel().getByRole('button', { name: 'Appliquer' }).click();
    await page.getByTestId('bulk-job').and(page.locator('[data-state="running"]')).waitFor();
    await panel().getByRole('button', { name: 'Annuler' }).click();

    const paused = page.getByTestId('bulk-paused');
    await paused.waitFor({ timeout: 60_000 });
    await expect(paused.textContent()).resolves.toContain('Import annulé');
    const done = Number(((await page.getByTestId('bulk-progress').textContent()) ?? '').split('/')[0]?.trim());
    expect(done).toBeGreaterThanOrEqual(20);
    expect(done).toBeLessThan(ROWS + 1);
    const writtenBefore = Array.from({ length: ROWS }, (_, i) => valuesOf(upnOf(i)).length).filter((n) => n > 0);
    expect(writtenBefore.length).toBe(20);

    cloud.graph.setFaults([]);
    await panel().getByRole('button', { name: 'Reprendre' }).click();
    const finished = page.getByTestId('bulk-finished');
    await finished.waitFor({ timeout: 60_000 });
    // Every row is written once; the unknown account is skipped.
    await expect(page.getByTestId('bulk-counts').textContent()).resolves.toContain(`${String(ROWS)} écrite(s)`);
    await expect(page.getByTestId('bulk-counts').textContent()).resolves.toContain('1 ignorée(s)');
    for (let i = 0; i < ROWS; i++) {
      expect(valuesOf(upnOf(i))).toHaveLength(1);
      expect(valuesOf(upnOf(i))[0]).toMatch(/^X509:<SKI>/);
    }
    await expect(page.getByTestId('bulk-download').getAttribute('href')).resolves.toMatch(/^blob:/);
    // The downloaded file reads in French Excel: BOM, `;`, French headers, a message per row, not raw codes.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('bulk-download').click()]);
    const text = readFileSync(await download.path(), 'utf8');
    expect(download.suggestedFilename()).toBe('resultats-enrolement.csv');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const [header, ...lines] = text.slice(1).trim().split('\r\n');
    expect(header?.split(';').slice(0, 7)).toEqual([
      'Ligne',
      'Origine',
      'Utilisateur',
      'Compte Entra (UPN)',
      'État',
      'Message',
      'Conflit avec',
    ]);
    expect(lines).toHaveLength(ROWS + 1);
    expect(lines.at(-1)).toContain('Ignorée');
    expect(lines.at(-1)).not.toContain('errors.');
    // In the browser shell the CSV is picked in the page: no source path to save beside, the download is offered.
    await expect(page.getByTestId('bulk-save-next-to-source').count()).resolves.toBe(0);
  });

  it('reads a CSV by path from a French Excel (cp1252, sep=;) and saves the results next to it', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'psc-e2e-bulk-'));
    try {
      const pki = await getSharedTestPki();
      mkdirSync(join(folder, 'Médecins'));
      for (const i of [0, 1]) {
        const issued = await issueCardCertificates(pki, {
          ...DEFAULT_PRACTITIONER,
          surname: `CHEMIN${String(i)}`,
          nationalId: String(10_100_000_300 + i),
          cardNumber: String(2_800_000_300 + i),
        });
        writeFileSync(join(folder, 'Médecins', `carte-${String(i)}.cer`), issued.authentication.der);
        tenant().users.push({
          id: `00000002-0078-4000-8000-${String(i + 1).padStart(12, '0')}`,
          displayName: `Chemin ${String(i)}`,
          userPrincipalName: `chemin.${String(i)}@clinique-demo.fr`,
          onPremisesSyncEnabled: null,
          authorizationInfo: { certificateUserIds: [] },
        });
      }
      const text = [
        'sep=;',
        'Adresse mail;Fichier certificat',
        'chemin.0@clinique-demo.fr;Médecins\\carte-0.cer',
        'chemin.1@clinique-demo.fr;Médecins\\carte-1.cer',
        ';',
      ].join('\r\n');
      const csvPath = join(folder, 'lot.csv');
      writeFileSync(csvPath, Buffer.from(text, 'latin1'));

      await panel().getByText('Fichier CSV sur ce poste (chemin)').click();
      await page.getByTestId('bulk-path').fill(csvPath);
      await page.getByTestId('bulk-check').click();
      await panel().filter({ hasText: 'Aperçu : 2 ligne(s)' }).waitFor();
      await expect(panel().locator('[data-status="ok"]').count()).resolves.toBe(2);
      await panel().getByRole('button', { name: 'Appliquer' }).click();
      // The earlier job's bar shows until this one starts: wait for this job's own end.
      await page
        .getByTestId('bulk-finished')
        .filter({ hasText: 'Import terminé : 2 écrite(s)' })
        .waitFor({ timeout: 60_000 });
      expect(valuesOf('chemin.0@clinique-demo.fr')).toHaveLength(1);

      await page.getByTestId('bulk-save-next-to-source').click();
      const saved = page.getByTestId('bulk-saved');
      await saved.waitFor();
      const path = /Résultats enregistrés : (.+\.csv)/.exec((await saved.textContent()) ?? '')?.[1] ?? '';
      expect(dirname(path)).toBe(folder);
      const results = readFileSync(path, 'utf8');
      expect(results.startsWith('\uFEFFLigne;Origine;Utilisateur;Compte Entra (UPN);État;Message;Conflit avec')).toBe(
        true,
      );
      expect(
        results
          .trim()
          .split('\r\n')
          .slice(1)
          .map((l) => l.split(';').slice(0, 5)),
      ).toEqual([
        ['3', 'lot.csv:3', 'chemin.0@clinique-demo.fr', 'chemin.0@clinique-demo.fr', 'Écrite'],
        ['4', 'lot.csv:4', 'chemin.1@clinique-demo.fr', 'chemin.1@clinique-demo.fr', 'Écrite'],
      ]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
