import { homedir } from 'node:os';
import { join } from 'node:path';

/** File name of the database inside a mode folder. */
export const DB_FILE_NAME = 'psc-assistant.db';

/**
 * Default database path for live mode: `$PSC_ASSISTANT_DATA_DIR/live/psc-assistant.db`, else the XDG convention
 * (`$XDG_CONFIG_HOME` or `~/.config`)`/psc-assistant/live/psc-assistant.db`, or `%APPDATA%` on Windows.
 *
 * Takes the environment as an argument so tests and the CLI do not depend on the process globals.
 */
export function defaultDbPath(
  env: Readonly<Record<string, string | undefined>>,
  platform: string = process.platform,
): string {
  const override = env.PSC_ASSISTANT_DATA_DIR;
  const base =
    override !== undefined && override !== ''
      ? override
      : platform === 'win32'
        ? join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'psc-assistant')
        : join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'psc-assistant');
  return join(base, 'live', DB_FILE_NAME);
}
