import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AppMode } from '../../shared/contract/schemas';

/**
 * Data folder outside Electron (browser shell, CLI): `PSC_ASSISTANT_DATA_DIR`, else the XDG/AppData convention.
 * Demo mode keeps its state apart so that trying the demo never touches real settings or journals.
 */
export function defaultDataDir(mode: AppMode): string {
  const override = process.env.PSC_ASSISTANT_DATA_DIR;
  const base =
    override ??
    (process.platform === 'win32'
      ? join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'psc-assistant')
      : join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'psc-assistant'));
  return mode === 'demo' ? join(base, 'demo') : base;
}
