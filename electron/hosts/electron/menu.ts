import { Menu } from 'electron';
import type { MenuItemConstructorOptions } from 'electron';

/** French application menu; roles give native behaviour and shortcuts on every platform. */
export function buildFrenchMenu(isMac: boolean): Menu {
  const template: MenuItemConstructorOptions[] = [
    ...(isMac
      ? [
          {
            label: 'Assistant PSC',
            submenu: [
              { role: 'about' as const, label: 'À propos' },
              { role: 'quit' as const, label: 'Quitter' },
            ],
          },
        ]
      : []),
    {
      label: 'Fichier',
      submenu: [isMac ? { role: 'close', label: 'Fermer la fenêtre' } : { role: 'quit', label: 'Quitter' }],
    },
    {
      label: 'Édition',
      submenu: [
        { role: 'undo', label: 'Annuler' },
        { role: 'redo', label: 'Rétablir' },
        { type: 'separator' },
        { role: 'cut', label: 'Couper' },
        { role: 'copy', label: 'Copier' },
        { role: 'paste', label: 'Coller' },
        { role: 'selectAll', label: 'Tout sélectionner' },
      ],
    },
    {
      label: 'Affichage',
      submenu: [
        { role: 'resetZoom', label: 'Taille réelle' },
        { role: 'zoomIn', label: 'Zoom avant' },
        { role: 'zoomOut', label: 'Zoom arrière' },
        { type: 'separator' },
        { role: 'togglefullscreen', label: 'Plein écran' },
      ],
    },
    { label: 'Fenêtre', submenu: [{ role: 'minimize', label: 'Réduire' }] },
  ];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- Electron's factory is the documented way to build a Menu.
  return Menu.buildFromTemplate(template);
}
