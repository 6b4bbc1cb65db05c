import { describe, expect, it, vi } from 'vitest';
import type { FakeMenu, FakeMenuItem } from '../../fakes/electron';

vi.mock('electron', async () => {
  const fakes = await import('../../fakes/electron');
  return { Menu: fakes.FakeMenu };
});

const { buildFrenchMenu } = await import('../../../electron/hosts/electron/menu');

function items(menu: FakeMenu): FakeMenuItem[] {
  const walk = (list: FakeMenuItem[]): FakeMenuItem[] => list.flatMap((item) => [item, ...walk(item.submenu ?? [])]);
  return walk(menu.template);
}

/** Electron's English defaults for the roles we use: none may show through. */
const englishWords =
  /\b(File|Edit|View|Window|Quit|Undo|Redo|Cut|Copy|Paste|Select All|Zoom In|Zoom Out|Actual Size|Full Screen|Minimi[sz]e|Close|About)\b/;

describe('electron/hosts/electron/menu', () => {
  it.each([
    ['Windows/Linux', false, ['Fichier', 'Édition', 'Affichage', 'Fenêtre']],
    ['macOS', true, ['Assistant PSC', 'Fichier', 'Édition', 'Affichage', 'Fenêtre']],
  ])('has the French top-level menus on %s', (_platform, isMac, labels) => {
    const menu = buildFrenchMenu(isMac) as unknown as FakeMenu;

    expect(menu.template.map((item) => item.label)).toEqual(labels);
  });

  it.each([false, true])('labels every item in French, so no English role default shows (mac: %s)', (isMac) => {
    const menu = buildFrenchMenu(isMac) as unknown as FakeMenu;
    const labelled = items(menu).filter((item) => item.type !== 'separator');

    expect(labelled.length).toBeGreaterThan(10);
    for (const item of labelled) {
      expect(item.label, JSON.stringify(item)).toMatch(/\S/);
      expect(item.label).not.toMatch(englishWords);
    }
  });

  it.each([
    [false, 'quit', 'Quitter'],
    [true, 'close', 'Fermer la fenêtre'],
    [true, 'quit', 'Quitter'],
    [false, 'copy', 'Copier'],
    [false, 'paste', 'Coller'],
  ])('gives the %s role %s the label %s (mac: %s)', (isMac, role, label) => {
    const menu = buildFrenchMenu(isMac) as unknown as FakeMenu;

    expect(items(menu).find((item) => item.role === role)?.label).toBe(label);
  });
});
