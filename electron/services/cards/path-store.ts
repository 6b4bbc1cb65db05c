/**
 * Learned certificate paths, persisted per card generation through an injected key-value store, so the second
 * read of a CPS3 goes straight to the certificate (fewer APDUs) even after a restart.
 */
import type { CardGeneration } from '../../../shared/cards/atr';
import type { LearnedPath, LearnedPathCache } from '../../../shared/cards/path-cache';
import { createMemoryPathCache, learnedPathSchema } from '../../../shared/cards/path-cache';
import type { Logger } from '../../../shared/logging';

/** Port: a small async key-value store (the store service implements it over SQLite). */
export type KeyValueStore = {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
};

/** In-memory store (default, tests). */
export function createMemoryKeyValueStore(): KeyValueStore {
  const values = new Map<string, unknown>();
  return {
    get: (key) => Promise.resolve(values.get(key)),
    set: (key, value) => {
      values.set(key, value);
      return Promise.resolve();
    },
  };
}

const GENERATIONS: readonly CardGeneration[] = ['cps3', 'cps4'];
const keyOf = (generation: CardGeneration) => `cards.learned-path.${generation}`;

/** Loads the cache from the store (invalid entries ignored) and writes every new path back. */
export async function loadPathCache(store: KeyValueStore, logger: Logger): Promise<LearnedPathCache> {
  const memory = createMemoryPathCache();
  for (const generation of GENERATIONS) {
    const parsed = learnedPathSchema.safeParse(await store.get(keyOf(generation)));
    if (parsed.success) {
      memory.set(generation, parsed.data);
    }
  }
  return {
    get: (generation) => memory.get(generation),
    set: (generation: CardGeneration, path: LearnedPath) => {
      memory.set(generation, path);
      store.set(keyOf(generation), path).catch((error: unknown) => {
        logger.warn('could not persist learned card path', { generation, error: String(error) });
      });
    },
  };
}
