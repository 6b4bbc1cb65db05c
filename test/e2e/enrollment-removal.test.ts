import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createStore } from '../../electron/services/store/index';
import { DEFAULT_PRACTITIONER, getSharedTestPki, issueCardCertificates } from '../../emulators/card/certificates';
import { startDemoCloud } from '../../emulators/graph/demo';
import type { DemoCloud } from '../../emulators/graph/demo';
import type { Entity } from '../../emulators/graph/index';
import { silentLogger } from '../../shared/logging';
import { certificateUserIdsFromDer } from '../../shared/mapping';
import { openApp, signInForFixes } from '../helpers/app-page';
import type { OpenApp } from '../helpers/app-page';

const holderUpn = 'helene.leger-dupre@clinique-demo.fr';

/**
 * Removal at the desk, in the browser shell: by the inserted card (reason, preview, confirmation), by a loaded
 * certificate file (PEM, accounts holding its values), and by user (search, pick values). The emulated tenant
 * loses exactly the confirmed values; the journal records each removal with its reason.
 */
describe('removal at the desk (browser shell, demo cloud, virtual card)', () => {
  let cloud: DemoCloud;
  let app: OpenApp;
  let page: Page;
  let dir: string;

  const users = () => cloud.graph.tenant('clinique-demo').users;
  const byUpn = (upn: string): Entity => {
    const user = users().find((u) => u.userPrincipalName === upn);
    expect(user).toBeDefined();
    return user!;
  };
  const idsOf = (user: Entity) =>
    (user.authorizationInfo as { certificateUserIds?: string[] } | undefined)?.certificateUserIds ?? [];
  const setIds = (user: Entity, ids: string[]) => {
    user.authorizationInfo = { certificateUserIds: ids };
  };
  const journalReasons = async (): Promise<unknown[]> => {
    const store = createStore({
      filePath: join(app.running.dataDir, 'psc-assistant.db'),
      clock: { now: () => Date.now() },
      logger: silentLogger,
    });
    try {
      const entries = await store.journal.list({ limit: 1000 });
      return entries.filter((e) => e.kind === 'mapping-removed').map((e) => e.details.reason);
    } finally {
      store.close();
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'psc-removal-'));
    const started = startDemoCloud();
    cloud = await started;
    app = await openApp({ runtime: { demoCloud: started } });
    ({ page } = app);
    await page.getByRole('heading', { level: 1, name: 'Guichet' }).waitFor();
    await page.getByTestId('card-panel').waitFor();
    await signInForFixes(page);
  });

  afterAll(async () => {
    await app.close();
    await cloud.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('removes by the inserted card after a preview, with the reason journaled', async () => {
    await page.getByRole('button', { name: 'Rechercher le compte du praticien' }).click();
    await page.getByTestId('candidate').first().waitFor();
    await page.getByRole('button', { name: 'Prévisualiser' }).click();
    await page.getByTestId('plan-added').waitFor();
    await page.getByRole('button', { name: 'Écrire l’association' }).click();
    await page.getByTestId('enrollment-outcome').filter({ hasText: 'Association écrite et vérifiée' }).waitFor();
    const written = idsOf(byUpn(holderUpn));
    expect(written).toHaveLength(1);

    const panel = page.getByTestId('enrollment-panel');
    await panel.getByLabel('Carte perdue').check();
    await page.getByRole('button', { name: 'Retirer les valeurs de cette carte' }).click();
    const preview = page.getByTestId('removal-preview');
    await preview.waitFor();
    await expect(page.getByTestId('removal-values').textContent()).resolves.toContain(written[0]);
    // Nothing is written before the confirmation.
    expect(idsOf(byUpn(holderUpn))).toEqual(written);

    await preview.getByRole('button', { name: 'Confirmer le retrait' }).click();
    await page.getByTestId('enrollment-outcome').filter({ hasText: 'retirées' }).waitFor();
    expect(idsOf(byUpn(holderUpn))).toEqual([]);
    expect(await journalReasons()).toEqual(['lost']);
  });

  it('removes by a loaded certificate file (PEM), choosing among the accounts holding its values', async () => {
    const pki = await getSharedTestPki();
    const { authentication } = await issueCardCertificates(pki, { ...DEFAULT_PRACTITIONER, cardNumber: '2900000077' });
    const { values } = await certificateUserIdsFromDer(authentication.der);
    const holder = byUpn(holderUpn);
    setIds(holder, [values.SKI ?? '', 'X509:<PN>unrelated@example.org']);
    const pem = `-----BEGIN CERTIFICATE-----\n${Buffer.from(authentication.der).toString('base64')}\n-----END CERTIFICATE-----\n`;
    const file = join(dir, 'card.pem');
    writeFileSync(file, pem);

    const tools = page.getByTestId('removal-tools');
    await tools.getByRole('tab', { name: 'Par certificat chargé' }).click();
    await tools.getByLabel('Certificat de la carte (DER ou PEM)').setInputFiles(file);
    const found = tools.getByTestId('removal-user');
    await found.first().waitFor();
    await expect(found.first().textContent()).resolves.toContain(holderUpn);
    await tools.getByLabel('Carte volée').check();
    await tools.getByRole('button', { name: 'Prévisualiser le retrait' }).click();
    await tools
      .getByTestId('removal-values')
      .filter({ hasText: values.SKI ?? '' })
      .waitFor();
    await tools.getByRole('button', { name: 'Confirmer le retrait' }).click();

    await tools.getByTestId('removal-outcome').filter({ hasText: 'retirées' }).waitFor();
    expect(idsOf(byUpn(holderUpn))).toEqual(['X509:<PN>unrelated@example.org']);
    expect(await journalReasons()).toEqual(['lost', 'stolen']);
  });

  it('removes by user: search, pick the values to remove, keep the others', async () => {
    const target = users().find(
      (u) =>
        u.onPremisesSyncEnabled !== true &&
        typeof u.displayName === 'string' &&
        u.userPrincipalName !== holderUpn &&
        typeof u.userPrincipalName === 'string' &&
        !u.userPrincipalName.startsWith('camille'),
    );
    expect(target).toBeDefined();
    const upn = typeof target?.userPrincipalName === 'string' ? target.userPrincipalName : '';
    const drop = 'X509:<SKI>00112233445566778899AABBCCDDEEFF00112233';
    const keep = 'X509:<PN>keep@example.org';
    setIds(target!, [drop, keep]);

    const tools = page.getByTestId('removal-tools');
    await tools.getByRole('tab', { name: 'Par utilisateur' }).click();
    await tools.getByLabel('Nom, UPN ou e-mail').fill(upn.slice(0, 6));
    await tools.getByRole('button', { name: 'Chercher' }).click();
    await tools.getByTestId('removal-user').filter({ hasText: upn }).getByRole('radio').check();
    await tools.getByLabel(drop).check();
    await tools.getByLabel('Carte remplacée').check();
    await tools.getByRole('button', { name: 'Prévisualiser le retrait' }).click();
    await tools.getByTestId('removal-values').filter({ hasText: drop }).waitFor();
    expect(idsOf(byUpn(upn))).toEqual([drop, keep]);
    await tools.getByRole('button', { name: 'Confirmer le retrait' }).click();

    await tools.getByTestId('removal-outcome').filter({ hasText: 'retirées' }).waitFor();
    expect(idsOf(byUpn(upn))).toEqual([keep]);
    expect(await journalReasons()).toEqual(['lost', 'stolen', 'replaced']);
  });
});
