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

  it('runs without console errors or CSP violations', () => {
    expect(consoleErrors).toEqual([]);
  });
});
