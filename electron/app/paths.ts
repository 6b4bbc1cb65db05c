import { mkdir, rename, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AppMode } from '../../shared/contract/schemas';
import { defaultDbPath } from '../services/store/paths';

/**
 * The one data folder of a mode, for every host (Electron, browser shell, CLI): `<base>/live` or `<base>/demo`, where
 * the base is `PSC_ASSISTANT_DATA_DIR` or the XDG/AppData convention (`~/.config/psc-assistant`,
 * `%APPDATA%\psc-assistant`) — the folder the CLI's `journal verify` reads. Demo state stays apart from real settings
 * and journals.
 */
export function defaultDataDir(
  mode: AppMode,
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: string = process.platform,
): string {
  const liveDir = dirname(defaultDbPath(env, platform));
  return mode === 'live' ? liveDir : join(dirname(liveDir), 'demo');
}

/** The base data folder holding both mode folders and the per-machine preferences (the preferred mode). */
export function dataBaseDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: string = process.platform,
): string {
  return dirname(defaultDataDir('live', env, platform));
}

/**
 * Moves a mode folder from where an earlier Electron build kept it (`<userData>/<mode>`) to `target`, once: only when
 * the legacy folder exists and the target does not, so nothing is ever overwritten or merged. A move across file
 * systems fails (rename only, never a half copy) and is reported for the user to move by hand.
 */
export async function moveLegacyDataDir(
  legacy: string,
  target: string,
): Promise<'moved' | 'nothing-to-move' | { failed: string }> {
  const exists = (path: string) =>
    stat(path).then(
      () => true,
      () => false,
    );
  if (legacy === target || !(await exists(legacy)) || (await exists(target))) {
    return 'nothing-to-move';
  }
  try {
    await mkdir(dirname(target), { recursive: true });
    await rename(legacy, target);
    return 'moved';
  } catch (error) {
    return { failed: error instanceof Error ? error.message : String(error) };
  }
}
