import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { settingsSchema } from '../../../shared/contract/schemas';
import type { Settings } from '../../../shared/contract/schemas';
import type { Logger } from '../../../shared/logging';

/** User preferences persisted in the data folder. */
export interface SettingsService {
  get(): Promise<Settings>;
  update(patch: Partial<Settings>): Promise<Settings>;
  onChanged(listener: (settings: Settings) => void): () => void;
}

export const defaultSettings: Settings = { language: 'fr', theme: 'system' };

/**
 * Settings stored as validated JSON.
 *
 * A file that fails validation is set aside (renamed, never deleted) and defaults are used, so a corrupt file neither
 * crashes the app nor is lost. Writes go to a temporary file then rename, so a crash mid-write keeps the old file.
 */
export function createSettingsService(deps: { filePath: string; logger: Logger }): SettingsService {
  const listeners = new Set<(settings: Settings) => void>();
  let current: Settings | undefined;

  const load = async (): Promise<Settings> => {
    let text: string;
    try {
      text = await readFile(deps.filePath, 'utf8');
    } catch {
      return defaultSettings;
    }
    try {
      return settingsSchema.parse(JSON.parse(text));
    } catch (error) {
      const aside = `${deps.filePath}.corrupt-${String(Date.now())}`;
      deps.logger.warn('settings file invalid, set aside', { aside, error: String(error) });
      await rename(deps.filePath, aside).catch(() => undefined);
      return defaultSettings;
    }
  };

  const save = async (settings: Settings) => {
    await mkdir(dirname(deps.filePath), { recursive: true });
    const temporary = `${deps.filePath}.tmp`;
    await writeFile(temporary, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, deps.filePath);
  };

  return {
    async get() {
      current ??= await load();
      return current;
    },
    async update(patch) {
      const next = settingsSchema.parse({ ...(await this.get()), ...patch });
      await save(next);
      current = next;
      for (const listener of listeners) {
        listener(next);
      }
      return next;
    },
    onChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
