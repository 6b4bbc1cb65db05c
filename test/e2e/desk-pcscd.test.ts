import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { buildCard, VpcdSlot, vpcdReaderName } from '../../emulators/card';
import { DEFAULT_PRACTITIONER } from '../../emulators/card/certificates';
import { openApp } from '../helpers/app-page';
import type { OpenApp } from '../helpers/app-page';
import { ensurePcscd, pcscdGate } from '../helpers/pcsc/pcscd';

const pcscd = await ensurePcscd();
// Skips only on a machine without the packages; under CI or with them installed, an unusable pcscd fails the suite.
const gate = pcscdGate(pcscd, 'desk e2e over pcscd');

/**
 * The real stack end to end: virtual card → vpcd → pcscd → PC/SC (koffi) → card service → browser shell →
 * Guichet in Chromium.
 */
describe.skipIf(gate.skip)('Guichet reading virtual cards through real pcscd', () => {
  beforeAll(gate.check);
  let app: OpenApp;
  let page: Page;
  const slot = new VpcdSlot({ slot: 0 });
  const reader = vpcdReaderName(0);

  beforeAll(async () => {
    app = await openApp({ runtime: { cardBackend: 'pcsc' } });
    ({ page } = app);
    await page.getByTestId('reader').filter({ hasText: reader }).waitFor();
  });

  afterAll(async () => {
    await slot.remove();
    await app.close();
    if (pcscd.available) {
      await pcscd.stop();
    }
  });

  it.each([
    ['cps3', 'CPS3'],
    ['cps4', 'CPS4'],
  ] as const)('shows the holder and the mapping values of a %s card', async (profile, label) => {
    const built = await buildCard(profile);
    const expectedSki = Buffer.from(built.certificates!.authentication.certificate.getExtension('2.5.29.14')!.value)
      .toString('hex')
      .slice(4);
    // Start from an empty reader: a card left by an earlier suite must not be mistaken for this one.
    await page.getByTestId('reader').filter({ hasText: reader }).filter({ hasText: 'Pas de carte' }).waitFor();

    await slot.insert(built.card);
    try {
      const skiCell = page.getByTestId('mapping-SKI').filter({ hasText: new RegExp(expectedSki, 'i') });
      await skiCell.waitFor();

      await expect(page.getByTestId('card-panel').textContent()).resolves.toContain(label);
      expect(await page.getByTestId('card-holder').textContent()).toBe(
        `${DEFAULT_PRACTITIONER.givenName} ${DEFAULT_PRACTITIONER.surname}`,
      );
      const principalName = await page.getByTestId('mapping-PrincipalName').getByTestId('mapping-value').textContent();
      expect(principalName).toBe(`X509:<PN>8.${DEFAULT_PRACTITIONER.nationalId}@carte-cps.fr`);
      const audit = built.card.audit();
      expect(audit.verifyCommands + audit.pinCommands + audit.resets).toBe(0);
    } finally {
      await slot.remove();
    }
    await page.getByTestId('reader').filter({ hasText: reader }).filter({ hasText: 'Pas de carte' }).waitFor();
  });
});
