/**
 * A `KeyValueStore` kept in one small JSON file (the learned card paths under the app's data folder), so the fast
 * path survives a restart. The file is validated with zod when read; a missing, oversized or malformed file is
 * treated as empty (and rewritten on the next `set`). Writes go to a temporary file renamed over the old one, one
 * at a time.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Logger } from '../../../shared/logging';
import type { KeyValueStore } from './path-store';

/** Largest file accepted: a few learned paths take well under 1 KB. */
export const MAX_JSON_STORE_BYTES = 64 * 1024;

const fileSchema = z.object({ version: z.literal(1), values: z.record(z.string().max(200), z.unknown()) });

/** Opens (lazily) the JSON store at `filePath`. */
export function createJsonFileKeyValueStore(filePath: string, logger: Logger): KeyValueStore {
  let values: Promise<Map<string, unknown>> | undefined;
  let writes: Promise<void> = Promise.resolve();

  const load = async (): Promise<Map<string, unknown>> => {
    let text: string;
    try {
      text = await readFile(filePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        logger.warn('card path store unreadable; starting empty', { file: filePath, error: String(error) });
      }
      return new Map();
    }
    if (text.length > MAX_JSON_STORE_BYTES) {
      logger.warn('card path store too large; starting empty', { file: filePath, bytes: text.length });
      return new Map();
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      logger.warn('card path store is not JSON; starting empty', { file: filePath });
      return new Map();
    }
    const parsed = fileSchema.safeParse(json);
    if (!parsed.success) {
      logger.warn('card path store has an unexpected shape; starting empty', { file: filePath });
      return new Map();
    }
    return new Map(Object.entries(parsed.data.values));
  };

  const current = () => (values ??= load());

  const persist = async (snapshot: Record<string, unknown>) => {
    const text = JSON.stringify({ version: 1, values: snapshot }, null, 2);
    if (text.length > MAX_JSON_STORE_BYTES) {
      throw new Error(`card path store would exceed ${String(MAX_JSON_STORE_BYTES)} bytes`);
    }
    await mkdir(path.dirname(filePath), { recursive: true });
    const temporary = `${filePath}.${String(process.pid)}.tmp`;
    await writeFile(temporary, text, { encoding: 'utf8', mode: 0o600 });
    await rename(temporary, filePath);
  };

  return {
    get: async (key) => (await current()).get(key),
    set: async (key, value) => {
      const map = await current();
      map.set(key, value);
      const snapshot = Object.fromEntries(map);
      // One write at a time, in order; a failed write does not block the next one.
      const write = writes.then(() => persist(snapshot));
      writes = write.catch(() => undefined);
      await write;
    },
  };
}
