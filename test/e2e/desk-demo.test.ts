import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createTestPki, DEFAULT_PRACTITIONER } from '../../emulators/card/certificates';
import { openApp } from '../helpers/app-page';
import type { OpenApp } from '../helpers/app-page';

/** The Guichet in demo mode: virtual cards in the in-process reader, as a newcomer sees it after `npm start`. */
describe('Guichet in demo mode (browser shell, virtual reader)', () => {
  let app: OpenApp;
  let page: Page;

  beforeAll(async () => {
    app = await openApp();
    ({ page } = app);
    await page.getByRole('heading', { level: 1, name: 'Guichet' }).waitFor();
  });

  afterAll(async () => {
    await app.close();
  });

  const insert = async (profileLabel: string) => {
    await page.getByLabel('Carte virtuelle').selectOption({ label: profileLabel });
    await page.getByRole('button', { name: 'Insérer' }).click();
  };

  it('shows the holder, the TEST badge, a valid chain and the recommended values of a CPS3', async () => {
    await insert('CPS3 (contact)');
    await page.getByTestId('desk-announcement').filter({ hasText: 'Carte lue' }).waitFor();

    const panel = page.getByTestId('card-panel');
    await panel.waitFor();
    expect(await page.getByTestId('card-holder').textContent()).toBe(
      `${DEFAULT_PRACTITIONER.givenName} ${DEFAULT_PRACTITIONER.surname}`,
    );
    expect(await page.getByTestId('test-badge').textContent()).toBe('TEST');
    await expect(panel.textContent()).resolves.toContain(`RPPS ${DEFAULT_PRACTITIONER.nationalId}`);
    await expect(panel.textContent()).resolves.toContain('Valide (IGC-Santé reconnue)');
    // Demo mode keeps its CA's CRL as if downloaded earlier: a good card is checked, not left « inconnue ».
    await expect(panel.textContent()).resolves.toContain('Non révoquée (LCR à jour)');
    const principalName = page.getByTestId('mapping-PrincipalName').getByTestId('mapping-value');
    expect(await principalName.textContent()).toBe(`X509:<PN>8.${DEFAULT_PRACTITIONER.nationalId}@carte-cps.fr`);
    expect(await page.getByTestId('mapping-SKI').getByTestId('mapping-value').textContent()).toMatch(
      /^X509:<SKI>[0-9a-f]{40}$/i,
    );
    await expect(page.getByTestId('mapping-RFC822Name').textContent()).resolves.toContain('Sans objet');
    // EKU clientAuth and SAN UPN are reported as explicit checks, each with a plain-French explanation.
    for (const id of ['client-auth-eku', 'upn-present']) {
      const check = page.getByTestId(`check-${id}`);
      expect(await check.getAttribute('data-passed')).toBe('true');
      await expect(check.textContent()).resolves.toContain('Présent');
    }
    // Screen readers hear the outcome: the live region ends on the read, whatever came before it.
    await page.getByTestId('desk-announcement').filter({ hasText: 'Carte lue' }).waitFor();
  });

  it('reads a CPS4 through its logical channel', async () => {
    await insert('CPS4');

    await page.getByTestId('card-panel').filter({ hasText: 'CPS4' }).waitFor();
  });

  it.each([
    ['CPS3 sans contact', 'placez la carte dans un lecteur à contact'],
    ['Certificat de signature seul', 'ne contient pas de certificat d’authentification'],
    ['Certificat corrompu', 'illisible ou corrompu'],
    ['Carte non CPx (bancaire)', 'ce n’est pas une carte CPx'],
  ])('explains a %s in French', async (profileLabel, message) => {
    await insert(profileLabel);

    await page.getByTestId('read-failure').filter({ hasText: message }).waitFor();
    expect(await page.getByTestId('card-panel').count()).toBe(0);
  });

  it('flags a revoked card from the CRL kept for offline use', async () => {
    await insert('Carte révoquée');

    // A string filter ignores case (« Non révoquée » would match): the badge's capitals only.
    await page
      .getByTestId('card-panel')
      .filter({ hasText: /RÉVOQUÉE/ })
      .waitFor();
    // The CRL lists that card only: the next good card is still « non révoquée ».
    await insert('CPS3 (contact)');
    await page.getByTestId('card-panel').filter({ hasText: 'Non révoquée' }).waitFor();
  });

  it('says so when the clipboard refuses a copy', async () => {
    await insert('CPS3 (contact)');
    await page.getByTestId('card-panel').waitFor();
    await page.evaluate(() => {
      Object.defineProperty(navigator, 'clipboard', {
        configurable: true,
        value: { writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) },
      });
    });
    await page.getByRole('button', { name: 'Copier la valeur PrincipalName' }).click();

    await page.getByTestId('copy-failed').filter({ hasText: 'Copie impossible' }).waitFor();
  });
});

const CERTS = fileURLToPath(new URL('../../../shared/certs/cpx/', import.meta.url));

/** Paramètres › « Autorités de certification et révocation »: CA files imported through the UI. */
describe('trust store in the settings (browser shell)', () => {
  let app: OpenApp;
  let page: Page;

  beforeAll(async () => {
    app = await openApp();
    ({ page } = app);
    await page.getByRole('tab', { name: 'Paramètres' }).click();
    await page.getByTestId('trust-store').waitFor();
  });

  afterAll(async () => {
    await app.close();
  });

  // Demo mode also lists its own TEST PKI (« DÉMO » badge), whose names resemble the imported ones: skip those rows.
  const storedRow = () => page.getByTestId('trust-ca-row').filter({ hasNot: page.getByTestId('trust-demo-badge') });

  const choose = async (name: string, buffer: Buffer) => {
    await page.getByTestId('trust-ca-file').setInputFiles({ name, mimeType: 'application/pkix-cert', buffer });
  };

  it('imports a known IGC-Santé root at once and lists it with its fingerprint', async () => {
    await choose('ACR_FORT.cer', await readFile(`${CERTS}igc-sante-prod/ACR_FORT_20130625.cer`));

    const row = storedRow().filter({ hasText: 'AC RACINE IGC-SANTE FORT' });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('IGC-Santé reconnue');
    await expect(row.textContent()).resolves.toContain(
      '53D30A19570826BDE0C0762501F1F1C7A659F976C6C023123DF5239DF34A4EEA',
    );
    await expect(row.getByTestId('trust-ca-crl-url').textContent()).resolves.toBe(
      'LCR : http://igc-sante.esante.gouv.fr/CRL/ACR-FO.crl',
    );
  });

  it('marks a CRL address inferred by analogy as unverified', async () => {
    await choose('AC_FORT_ORGA.cer', await readFile(`${CERTS}igc-sante-prod/AC_FORT_ORGANISATIONS_20130625.cer`));

    const row = storedRow().filter({ hasText: 'AC IGC-SANTE FORT ORGANISATIONS' });
    await row.waitFor();
    await expect(row.getByTestId('trust-ca-crl-url').textContent()).resolves.toMatch(
      /^LCR : http:\/\/igc-sante\.esante\.gouv\.fr\/CRL\/ACI-FO-PM\.crl — non vérifiée/,
    );
  });

  it('asks before trusting an unknown CA, then shows it as added manually', async () => {
    const pki = await createTestPki();
    await choose('inconnue.pem', Buffer.from(pki.ca.toString('pem')));

    const confirm = page.getByTestId('trust-confirm');
    await confirm.filter({ hasText: 'Autorité inconnue' }).waitFor();
    await expect(storedRow().filter({ hasText: 'TEST AC IGC-SANTE FORT PERSONNES' }).count()).resolves.toBe(0);
    await confirm.getByRole('button', { name: 'Faire confiance quand même' }).click();

    await storedRow().filter({ hasText: 'Ajoutée manuellement' }).waitFor();
  });

  it('explains a file that holds no certificate', async () => {
    await choose('notes.txt', Buffer.from('pas un certificat'));

    await page.getByTestId('trust-error').filter({ hasText: 'notes.txt' }).waitFor();
  });

  it('refuses a file too large for an import before sending it', async () => {
    await choose('enorme.p7b', Buffer.alloc(600 * 1024, 0x30));

    await page.getByTestId('trust-error').filter({ hasText: 'trop volumineux' }).waitFor();
  });
});
