/**
 * The app's saved settings as the CLI sees them: read-only (a CLI run never rewrites nor sets aside the app's
 * settings file), with the client ID of `--client-id` taking precedence over the saved one.
 */
import { readFile } from 'node:fs/promises';
import { settingsSchema } from '../../shared/contract/schemas';
import type { Settings } from '../../shared/contract/schemas';
import { AppError } from '../../shared/errors';
import { defaultSettings } from '../services/settings';
import type { SettingsService } from '../services/settings';

/** What reading the settings file found; `problem` says why the saved settings were not used. */
export type SavedSettings = { settings: Settings; problem?: 'unreadable' | 'invalid' };

/** Read `settings.json` (absent: defaults; invalid: defaults and a problem to report). */
export async function readSavedSettings(filePath: string): Promise<SavedSettings> {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    const missing = error instanceof Error && 'code' in error && error.code === 'ENOENT';
    return missing ? { settings: defaultSettings } : { settings: defaultSettings, problem: 'unreadable' };
  }
  try {
    const parsed = settingsSchema.safeParse(JSON.parse(text));
    return parsed.success ? { settings: parsed.data } : { settings: defaultSettings, problem: 'invalid' };
  } catch {
    return { settings: defaultSettings, problem: 'invalid' };
  }
}

/** A settings service over fixed settings that refuses writes (the identity wiring only reads). */
export function readOnlySettings(settings: Settings): SettingsService {
  return {
    get: () => Promise.resolve(settings),
    update: () => Promise.reject(new AppError('internal', { details: { reason: 'the CLI never writes settings' } })),
    onChanged: () => () => undefined,
  };
}
