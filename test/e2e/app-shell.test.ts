import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import type { LaunchedChromium } from '../helpers/chromium';
import { ensureBuilt, repoRoot, startTestShell } from '../helpers/shell';
import type { RunningShell } from '../helpers/shell';

describe('renderer in the browser shell (Chromium)', () => {
  let running: RunningShell;
  let browser: LaunchedChromium;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    running = await startTestShell();
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') {
        consoleErrors.push(message.text());
      }
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.goto(running.shell.launchUrl);
  });

  afterAll(async () => {
    await browser.close();
    await running.close();
  });

  it('opens in French with the DÉMO banner and writes a screenshot', async () => {
    await page.getByRole('heading', { level: 1, name: 'Guichet' }).waitFor();

    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    expect(await page.getByTestId('demo-badge').textContent()).toBe('DÉMO');
    expect(await page.getByTestId('demo-banner').textContent()).toContain('Mode démonstration');
    await mkdir(join(repoRoot, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(repoRoot, 'test-results', 'home.png'), fullPage: true });
  });

  it('exposes banner, navigation and main landmarks', async () => {
    await expect(page.getByRole('banner').count()).resolves.toBe(1);
    await expect(page.getByRole('navigation', { name: 'Navigation principale' }).count()).resolves.toBe(1);
    await expect(page.getByRole('main', { name: 'Guichet' }).count()).resolves.toBe(1);
  });

  it.each([
    ['Checklist', 'checklist', '#/checklist'],
    ['Rapports', 'reports', '#/rapports'],
    ['Paramètres', 'settings', '#/parametres'],
    ['Guichet', 'desk', '#/guichet'],
  ])('opens the %s area from the navigation', async (label, area, hash) => {
    await page.getByRole('tab', { name: label }).click();

    await page.getByTestId(`page-${area}`).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(label);
    expect(new URL(page.url()).hash).toBe(hash);
  });

  it('moves between areas with the keyboard alone', async () => {
    await page.getByRole('tab', { name: 'Guichet' }).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');

    await page.getByTestId('page-checklist').waitFor();
  });

  it('switches to English and back, and remembers the choice', async () => {
    await page.getByLabel('Langue', { exact: true }).selectOption('en');
    await page.getByRole('tab', { name: 'Settings' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByTestId('demo-badge').textContent()).toBe('DEMO');

    await page.reload();
    await page.getByRole('tab', { name: 'Settings' }).waitFor();

    await page.getByLabel('Language', { exact: true }).selectOption('fr');
    await page.getByRole('tab', { name: 'Paramètres' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
  });

  it('follows the OS colour scheme live: dark, then light again', async () => {
    const bannerLuminance = () =>
      page.getByRole('banner').evaluate((element) => {
        const [r = 0, g = 0, b = 0] = (getComputedStyle(element).backgroundColor.match(/\d+/g) ?? []).map(Number);
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
      });

    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(bannerLuminance).toBeLessThan(0.3);

    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(bannerLuminance).toBeGreaterThan(0.8);
  });

  it('offers a skip link as the first Tab stop, which moves focus to the main region', async () => {
    await page.goto(`${running.shell.origin}/#/guichet`);
    await page.getByRole('heading', { level: 1, name: 'Guichet' }).waitFor();

    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => document.activeElement?.textContent);
    await page.keyboard.press('Enter');

    expect(first).toBe('Aller au contenu principal');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
  });

  /** Press Tab until `isTarget` holds for the focused element; bounded so a trap fails instead of hanging. */
  async function tabTo(isTarget: () => Promise<boolean>): Promise<boolean> {
    for (let stops = 0; stops < 40; stops += 1) {
      if (await isTarget()) {
        return true;
      }
      await page.keyboard.press('Tab');
    }
    return false;
  }

  it('switches language with the keyboard alone', async () => {
    await page.goto(`${running.shell.origin}/#/guichet`);
    await page.getByRole('heading', { level: 1, name: 'Guichet' }).waitFor();
    const language = page.getByLabel('Langue', { exact: true });

    const reached = await tabTo(() => language.evaluate((element) => element === document.activeElement));
    await page.keyboard.press('ArrowDown');
    await page.getByRole('tab', { name: 'Settings' }).waitFor();
    await page.getByLabel('Language', { exact: true }).focus();
    await page.keyboard.press('ArrowUp');
    await page.getByRole('tab', { name: 'Paramètres' }).waitFor();

    expect(reached).toBe(true);
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
  });

  it('reaches the area tabs by Tab and opens areas with arrows and Enter', async () => {
    await page.goto(`${running.shell.origin}/#/guichet`);
    await page.getByRole('heading', { level: 1, name: 'Guichet' }).waitFor();

    const reached = await tabTo(() => page.evaluate(() => document.activeElement?.getAttribute('role') === 'tab'));
    const focusedTab = await page.evaluate(() => document.activeElement?.textContent);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByTestId('page-reports').waitFor();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await page.getByTestId('page-checklist').waitFor();

    expect(reached).toBe(true);
    expect(focusedTab).toBe('Guichet');
    expect(new URL(page.url()).hash).toBe('#/checklist');
  });

  /** Every id named by an aria-labelledby of the elements matching `selector` (and, if `deep`, their descendants) that no element carries. */
  const danglingLabels = (selector: string, deep = true) =>
    page
      .locator(selector)
      .evaluateAll(
        (roots, withDescendants) =>
          roots.flatMap((root) =>
            [root, ...(withDescendants ? Array.from(root.querySelectorAll('[aria-labelledby]')) : [])].flatMap(
              (element) =>
                (element.getAttribute('aria-labelledby') ?? '')
                  .split(/\s+/)
                  .filter((id) => id !== '' && document.getElementById(id) === null),
            ),
          ),
        deep,
      );

  it('names the demo bar by its title, and every aria-labelledby of the home page names an element', async () => {
    await page.goto(`${running.shell.origin}/#/guichet`);
    await page.getByRole('heading', { level: 1, name: 'Guichet' }).waitFor();

    const titleId = await page.getByTestId('demo-banner').getAttribute('aria-labelledby');
    expect(titleId).toBeTruthy();
    expect(await page.locator(`[id="${titleId ?? ''}"]`).textContent()).toBe('DÉMO');
    expect(await danglingLabels('body')).toEqual([]);
  });

  it.each([
    ['checklist', 'Checklist'],
    ['rapports', 'Rapports'],
    ['parametres', 'Paramètres'],
    ['guichet', 'Guichet'],
  ])('shows #/%s in the one tab panel, labelled by the selected tab', async (slug, label) => {
    await page.goto(`${running.shell.origin}/#/${slug}`);
    await page.getByRole('heading', { level: 1, name: label }).waitFor();

    const tabs = page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('tab');
    const controls = await tabs.evaluateAll((elements) => elements.map((tab) => tab.getAttribute('aria-controls')));
    const panel = page.getByRole('tabpanel');
    expect(await panel.count()).toBe(1);
    const panelId = await panel.getAttribute('id');
    expect(controls).toEqual(controls.map(() => panelId));
    // The panel's accessible name is the selected tab's.
    await expect(page.getByRole('tabpanel', { name: label, exact: true }).count()).resolves.toBe(1);
    expect(await page.getByRole('tab', { name: label, selected: true }).count()).toBe(1);
    // Landmarks, bars and every page's content name existing elements on every area.
    expect(await danglingLabels('header, [data-testid="demo-banner"], nav')).toEqual([]);
    expect(await danglingLabels('main, [role="tabpanel"]', false)).toEqual([]);
    expect(await danglingLabels('body')).toEqual([]);
  });

  it.each(['guichet', 'checklist', 'rapports', 'parametres'])(
    'reflows at 640 CSS px on #/%s: no sideways scrolling, navigation above the page',
    async (slug) => {
      await page.setViewportSize({ width: 640, height: 800 });
      try {
        await page.goto(`${running.shell.origin}/#/${slug}`);
        await page.getByRole('heading', { level: 1 }).waitFor();

        const layout = await page.evaluate(() => {
          const nav = document.querySelector('nav')?.getBoundingClientRect();
          const main = document.getElementById('main')?.getBoundingClientRect();
          const root = document.documentElement;
          return {
            overflow: root.scrollWidth - root.clientWidth,
            // The page's own content too (a grid that cannot shrink scrolls inside main).
            mainOverflow: Math.max(
              0,
              ...Array.from(document.querySelectorAll('#main, #main *'))
                // Visually hidden text (1 px boxes for screen readers) clips by design.
                .filter((element) => getComputedStyle(element).overflowX !== 'visible' && element.clientWidth > 1)
                .map((element) => element.scrollWidth - element.clientWidth),
            ),
            navAboveMain: nav !== undefined && main !== undefined && nav.bottom <= main.top + 1,
            headerFits:
              (document.querySelector('header')?.getBoundingClientRect().right ?? Infinity) <= root.clientWidth,
          };
        });

        expect(layout).toEqual({ overflow: 0, mainOverflow: 0, navAboveMain: true, headerFits: true });
      } finally {
        await page.setViewportSize({ width: 1280, height: 800 });
      }
    },
  );

  it('runs without console errors or CSP violations', () => {
    expect(consoleErrors).toEqual([]);
  });
});
