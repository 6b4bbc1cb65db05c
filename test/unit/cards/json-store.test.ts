import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJsonFileKeyValueStore, MAX_JSON_STORE_BYTES } from '../../../electron/services/cards/json-store';
import { loadPathCache } from '../../../electron/services/cards/path-store';
import type { LearnedPath } from '../../../shared/cards/path-cache';
import type { Logger } from '../../../shared/logging';

const learned: LearnedPath = {
  version: 1,
  certificatePath: '3F0000017001',
  certificateLabel: 'CPS_ID_CERT',
  cardNumberPath: '3F000002',
};

function recordingLogger() {
  const warnings: string[] = [];
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (message) => warnings.push(message),
    error: (message) => warnings.push(message),
  };
  return { logger, warnings };
}

describe('JSON file store of learned card paths', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cards-store-'));
    file = path.join(dir, 'cards', 'learned-paths.json');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps a learned path across a restart (a new store on the same file)', async () => {
    const { logger, warnings } = recordingLogger();
    const first = await loadPathCache(createJsonFileKeyValueStore(file, logger), logger);
    expect(first.get('cps3')).toBeUndefined();
    first.set('cps3', learned);
    // The cache writes in the background: wait for the file.
    for (let i = 0; i < 100 && !(await readFile(file, 'utf8').catch(() => '')).includes('3F0000017001'); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const second = await loadPathCache(createJsonFileKeyValueStore(file, logger), logger);
    expect(second.get('cps3')).toEqual(learned);
    expect(second.get('cps4')).toBeUndefined();
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      version: 1,
      values: { 'cards.learned-path.cps3': learned },
    });
    expect(warnings).toEqual([]);
  });

  it.each([
    ['not JSON', '{ nope', 'not JSON'],
    ['wrong shape', JSON.stringify({ version: 2, values: {} }), 'unexpected shape'],
    ['values not an object', JSON.stringify({ version: 1, values: [1, 2] }), 'unexpected shape'],
    ['oversized', JSON.stringify({ version: 1, values: { pad: 'x'.repeat(MAX_JSON_STORE_BYTES) } }), 'too large'],
  ])('%s: starts empty, warns, and the next write repairs the file', async (_name, content, warning) => {
    const { logger, warnings } = recordingLogger();
    await createJsonFileKeyValueStore(file, logger).set('probe', 1); // creates the folder
    await writeFile(file, content);
    const store = createJsonFileKeyValueStore(file, logger);
    expect(await store.get('cards.learned-path.cps3')).toBeUndefined();
    expect(warnings.join('\n')).toContain(warning);
    await store.set('cards.learned-path.cps4', learned);
    expect(await createJsonFileKeyValueStore(file, logger).get('cards.learned-path.cps4')).toEqual(learned);
  });

  it('an entry that is not a learned path is ignored by the cache (validated with zod)', async () => {
    const { logger } = recordingLogger();
    const store = createJsonFileKeyValueStore(file, logger);
    await store.set('cards.learned-path.cps3', { version: 1, certificatePath: '../../etc/passwd' });
    const cache = await loadPathCache(createJsonFileKeyValueStore(file, logger), logger);
    expect(cache.get('cps3')).toBeUndefined();
  });

  it('writes one after the other: the last value wins', async () => {
    const { logger } = recordingLogger();
    const store = createJsonFileKeyValueStore(file, logger);
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set('k', i)));
    expect(await createJsonFileKeyValueStore(file, logger).get('k')).toBe(19);
  });
});
