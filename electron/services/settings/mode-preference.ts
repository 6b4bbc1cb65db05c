/**
 * The mode the assistant starts in on this machine (demo or live), kept in the base data folder next to the mode
 * folders — not inside one, since it chooses between them. `--demo` / `--live` on the command line override it.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { appModeSchema } from '../../../shared/contract/schemas';
import type { AppMode } from '../../../shared/contract/schemas';
import type { Logger } from '../../../shared/logging';

/** File name of the per-machine preference, in the base data folder. */
export const MODE_PREFERENCE_FILE = 'preferences.json';

const preferenceSchema = z.object({ version: z.literal(1), mode: appModeSchema }).strict();

/** The mode for this launch: a command-line flag wins (the last one given), then the saved preference, then demo. */
export function resolveMode(argv: readonly string[], preferred: AppMode | undefined): AppMode {
  const flags = argv.filter((arg) => arg === '--live' || arg === '--demo');
  const last = flags.at(-1);
  if (last !== undefined) {
    return last === '--live' ? 'live' : 'demo';
  }
  return preferred ?? 'demo';
}

/** The mode a command line asks for explicitly, if any (a second launch's `--live`). */
export function requestedMode(argv: readonly string[]): AppMode | undefined {
  const last = argv.filter((arg) => arg === '--live' || arg === '--demo').at(-1);
  return last === undefined ? undefined : last === '--live' ? 'live' : 'demo';
}

/** Reads and writes the preferred mode. */
export type ModePreference = {
  /** The saved mode, or undefined when none was saved or the file is unreadable (never fatal). */
  load(): Promise<AppMode | undefined>;
  save(mode: AppMode): Promise<void>;
};

/** The preference file in `baseDir` (the parent of the `demo` and `live` folders). */
export function createModePreference(deps: { baseDir: string; logger: Logger }): ModePreference {
  const filePath = join(deps.baseDir, MODE_PREFERENCE_FILE);
  return {
    async load() {
      let text: string;
      try {
        text = await readFile(filePath, 'utf8');
      } catch {
        return undefined;
      }
      try {
        return preferenceSchema.parse(JSON.parse(text)).mode;
      } catch (error) {
        // The safe default is demo mode: a damaged file must not put an unprepared machine in live mode.
        deps.logger.warn('mode preference invalid, ignored', { filePath, error: String(error) });
        return undefined;
      }
    },
    async save(mode) {
      await mkdir(deps.baseDir, { recursive: true });
      const temporary = `${filePath}.${randomBytes(4).toString('hex')}.tmp`;
      await writeFile(temporary, `${JSON.stringify({ version: 1, mode }, null, 2)}\n`, { mode: 0o600 });
      await rename(temporary, filePath);
    },
  };
}
