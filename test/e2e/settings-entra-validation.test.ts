/**
 * Paramètres › Microsoft Entra ID in the browser shell: a group name instead of its object id, or an identifier
 * attribute Graph cannot filter on, shows a French field error before saving (Enregistrer stays disabled); once fixed,
 * the values save and come back after a reload.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium';
import type { LaunchedChromium } from '../helpers/chromium';
import { ensureBuilt, startTestShell } from '../helpers/shell';
import type { RunningShell } from '../helpers/shell';
import { fr } from '../../shared/i18n/fr';

const GROUP = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';

describe('Paramètres: CBA group and identifier attribute are checked before saving', () => {
  let running: RunningShell;
  let browser: LaunchedChromium;
  let page: Page;

  beforeAll(async () => {
    ensureBuilt();
    running = await startTestShell();
    browser = await launchChromium();
    page = await browser.context.newPage();
    await page.goto(running.shell.launchUrl);
    await page.getByRole('tab', { name: 'Paramètres' }).click();
    await page.getByTestId('page-settings').waitFor();
  });

  afterAll(async () => {
    await browser.close();
    await running.close();
  });

  const group = () => page.getByLabel(fr.settings.cbaGroupId);
  const attribute = () => page.getByLabel(fr.settings.identifierAttribute);
  const save = () => page.getByRole('button', { name: fr.settings.save, exact: true });

  it('a group name shows its error and saving is disabled', async () => {
    await group().fill('GG-PSC-Praticiens');
    await page.getByText(fr.settings.invalidCbaGroupId).waitFor();
    expect(await save().isDisabled()).toBe(true);
    await group().fill(GROUP);
    await page.getByText(fr.settings.invalidCbaGroupId).waitFor({ state: 'detached' });
    expect(await save().isDisabled()).toBe(false);
  });

  it('an attribute Graph cannot filter on shows its error and saving is disabled', async () => {
    await attribute().fill('rpps');
    await page.getByText(fr.settings.invalidIdentifierAttribute).waitFor();
    expect(await save().isDisabled()).toBe(true);
    await attribute().fill('onPremisesExtensionAttributes/extensionAttribute2');
    await page.getByText(fr.settings.invalidIdentifierAttribute).waitFor({ state: 'detached' });
  });

  it('valid values save, are on disk, and come back after a reload', async () => {
    await save().click();
    await page.getByText(fr.settings.saved).waitFor();
    const onDisk = JSON.parse(await readFile(join(running.dataDir, 'settings.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(onDisk).toMatchObject({
      cbaGroupId: GROUP,
      identifierAttribute: 'onPremisesExtensionAttributes/extensionAttribute2',
    });
    await page.reload();
    await page.getByRole('tab', { name: 'Paramètres' }).click();
    await page.getByTestId('page-settings').waitFor();
    expect(await group().inputValue()).toBe(GROUP);
    expect(await attribute().inputValue()).toBe('onPremisesExtensionAttributes/extensionAttribute2');
  });
});
