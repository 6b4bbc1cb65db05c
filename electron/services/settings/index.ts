import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
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

/** A temporary file name of its own for each save, next to the settings file (same folder: rename stays atomic). */
function temporaryPath(filePath: string): string {
  return join(dirname(filePath), `.${basename(filePath)}.${String(process.pid)}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Settings stored as validated JSON.
 *
 * A file that fails validation is set aside (renamed, never deleted) and defaults are used, so a corrupt file neither
 * crashes the app nor is lost. Writes go to a temporary file then rename, so a crash mid-write keeps the old file.
 * Updates run one at a time (a promise chain): each merges its patch on the result of the previous one, so concurrent
 * updates (two windows, a double click) all land and never race on the file; each save also has its own temporary
 * file, so even two services on the same file never rename one another's half-written file.
 */
export function createSettingsService(deps: { filePath: string; logger: Logger }): SettingsService {
  const listeners = new Set<(settings: Settings) => void>();
  let loading: Promise<Settings> | undefined;
  /** Tail of the update chain; never rejects (each update's own promise carries its error). */
  let tail: Promise<unknown> = Promise.resolve();

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
    const temporary = temporaryPath(deps.filePath);
    try {
      await writeFile(temporary, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
      await rename(temporary, deps.filePath);
    } catch (error) {
      // A failed save leaves the previous file in place and no stray temporary file behind.
      await rm(temporary, { force: true }).catch(() => undefined);
      throw error;
    }
  };

  // One load per service, shared by concurrent first reads (two loads could both set a corrupt file aside).
  const get = (): Promise<Settings> => (loading ??= load());

  const apply = async (patch: Partial<Settings>): Promise<Settings> => {
    const next = settingsSchema.parse({ ...(await get()), ...patch });
    await save(next);
    loading = Promise.resolve(next);
    for (const listener of listeners) {
      listener(next);
    }
    return next;
  };

  return {
    get,
    update(patch) {
      const result = tail.then(() => apply(patch));
      tail = result.catch(() => undefined);
      return result;
    },
    onChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
