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

/** Bulk enrollment in the browser shell: CSV preview with row errors, apply, emulated tenant updated, results file. */
describe('bulk enrollment from a CSV (browser shell, demo cloud)', () => {
  let cloud: DemoCloud;
  let app: OpenApp;
  let page: Page;
  let csv: string;

  const valuesOf = (upn: string) => {
    const user = cloud.graph.tenant('clinique-demo').users.find((u) => u.userPrincipalName === upn);
    return (user?.authorizationInfo as { certificateUserIds: string[] } | undefined)?.certificateUserIds ?? [];
  };

  beforeAll(async () => {
    const pki = await getSharedTestPki();
    const certificateFor = async (nationalId: string, cardNumber: string) =>
      (await issueCardCertificates(pki, { ...DEFAULT_PRACTITIONER, nationalId, cardNumber })).authentication.der;
    const rows = [
      ['julien.bernard@clinique-demo.fr', pem(await certificateFor('10100000001', '2800000001'))],
      ['chloe.dubois@clinique-demo.fr', pem(await certificateFor('10100000002', '2800000002'))],
      ['pas-un-compte', pem(await certificateFor('10100000003', '2800000003'))],
    ];
    csv = ['utilisateur;certificat', ...rows.map(([user, cert]) => `${user};"${cert}"`)].join('\r\n');

    const started = startDemoCloud();
    cloud = await started;
    app = await openApp({ runtime: { demoCloud: started } });
    ({ page } = app);
    await signInForFixes(page);
  });

  afterAll(async () => {
    await app.close();
    await cloud.close();
  });

  it('previews every row with its holder and values, and explains the bad row', async () => {
    await page
      .getByTestId('bulk-file')
      .setInputFiles({ name: 'enrolement.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });

    await page.getByTestId('bulk-panel').filter({ hasText: 'Aperçu : 3 ligne(s)' }).waitFor();
    const rows = page.getByTestId('bulk-row');
    await expect(rows.nth(0).textContent()).resolves.toContain('X509:<PN>8.10100000001@carte-cps.fr');
    await expect(rows.nth(2).textContent()).resolves.toContain('utilisateur invalide');
  });

  it('applies the valid rows, updates the tenant and offers the results file', async () => {
    await page.getByTestId('bulk-panel').getByRole('button', { name: 'Appliquer' }).click();

    const finished = page.getByTestId('bulk-finished');
    await finished.waitFor({ timeout: 60_000 });
    await expect(finished.textContent()).resolves.toContain('2 écrite(s)');
    await expect(finished.textContent()).resolves.toContain('1 ignorée(s)');
    expect(valuesOf('julien.bernard@clinique-demo.fr').some((value) => value.startsWith('X509:<SKI>'))).toBe(true);
    expect(valuesOf('chloe.dubois@clinique-demo.fr').some((value) => value.startsWith('X509:<SKI>'))).toBe(true);
    await expect(
      finished.getByRole('link', { name: 'Télécharger le fichier de résultats' }).getAttribute('href'),
    ).resolves.toMatch(/^blob:/);
  });

  it('resumes idempotently: applying the same file again writes nothing twice', async () => {
    const before = valuesOf('julien.bernard@clinique-demo.fr');

    await page.getByTestId('bulk-panel').getByRole('button', { name: 'Appliquer' }).click();

    await page.getByTestId('bulk-finished').filter({ hasText: '2 inchangée(s)' }).waitFor({ timeout: 60_000 });
    expect(valuesOf('julien.bernard@clinique-demo.fr')).toEqual(before);
  });
});
