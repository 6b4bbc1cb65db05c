import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEFAULT_PRACTITIONER } from '../../emulators/card/certificates';
import { openApp } from '../helpers/app-page';
import type { OpenApp } from '../helpers/app-page';

const READER = 'Lecteur virtuel (démo)';

/**
 * The Guichet's failure states in demo mode (browser shell, in-process virtual reader): each one has its own French
 * message in the window and is announced in the polite live region, so a screen-reader user hears why.
 */
describe('Guichet failure states (browser shell, virtual reader)', () => {
  let app: OpenApp;
  let page: Page;

  beforeAll(async () => {
    // The stalled card answers nothing: a short read timeout keeps the wait bounded (20 s in the app).
    app = await openApp({ runtime: { cardReadTimeoutMs: 3_000 } });
    ({ page } = app);
    await page.getByRole('heading', { level: 1, name: 'Guichet' }).waitFor();
    // The demo reader starts with a CPS3 in it: wait for that read so it cannot interleave with the cases below.
    await page.getByTestId('card-panel').waitFor();
  });

  afterAll(async () => {
    await app.close();
  });

  const insert = async (profileLabel: string) => {
    await page.getByLabel('Carte virtuelle').selectOption({ label: profileLabel });
    await page.getByRole('button', { name: 'Insérer' }).click();
  };
  const announcement = () => page.getByTestId('desk-announcement');

  it('card pulled out mid-read: says so, promises to resume on reinsertion, then reads the reinserted card', async () => {
    await insert('Carte retirée pendant la lecture');

    const failure = page.getByTestId('read-failure');
    await failure.filter({ hasText: 'La carte a été retirée pendant la lecture' }).waitFor();
    await expect(failure.textContent()).resolves.toContain(READER);
    await expect(failure.textContent()).resolves.toContain(
      'La lecture reprendra automatiquement dès que la carte sera réinsérée.',
    );
    await announcement()
      .filter({ hasText: `Échec de la lecture dans « ${READER} » : La carte a été retirée pendant la lecture` })
      .waitFor();
    expect(await announcement().getAttribute('aria-live')).toBe('polite');
    expect(await page.getByTestId('card-panel').count()).toBe(0);

    // The practitioner puts the card back: the read starts by itself and succeeds.
    await insert('CPS3 (contact)');

    await page.getByTestId('card-panel').waitFor();
    expect(await page.getByTestId('card-holder').textContent()).toBe(
      `${DEFAULT_PRACTITIONER.givenName} ${DEFAULT_PRACTITIONER.surname}`,
    );
    expect(await page.getByTestId('read-failure').count()).toBe(0);
    await announcement().filter({ hasText: 'Carte lue' }).waitFor();
  });

  it('unknown card: « ce n’est pas une carte CPx », in the window and in the live region', async () => {
    await insert('Carte non CPx (bancaire)');

    const text = 'Carte non reconnue : ce n’est pas une carte CPx (CPS3 ou CPS4).';
    await page.getByTestId('read-failure').filter({ hasText: text }).waitFor();
    await announcement()
      .filter({ hasText: `Échec de la lecture dans « ${READER} » : ${text}` })
      .waitFor();
    // Reinserting would not help: the window does not promise it.
    await expect(page.getByTestId('read-failure').textContent()).resolves.not.toContain('reprendra automatiquement');
    expect(await page.getByTestId('card-panel').count()).toBe(0);
  });

  it('card that stops answering: the read gives up after its timeout with « délai dépassé »', async () => {
    await insert('Carte qui ne répond plus (délai dépassé)');

    // While the card is silent the window says a read is under way (the spinner) and the live region too.
    await announcement()
      .filter({ hasText: `Lecture de la carte dans « ${READER} »` })
      .waitFor();
    const text = 'La carte ne répond plus (délai dépassé). Retirez-la et réinsérez-la.';
    // The read timeout (3 s here) bounds the wait, not a sleep.
    await page.getByTestId('read-failure').filter({ hasText: text }).waitFor({ timeout: 30_000 });
    await announcement()
      .filter({ hasText: `Échec de la lecture dans « ${READER} » : ${text}` })
      .waitFor();
    expect(await page.getByTestId('card-panel').count()).toBe(0);
  }, 90_000);
});
