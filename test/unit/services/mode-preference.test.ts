import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/logging';
import type { AppMode } from '../../../shared/contract/schemas';
import { dataBaseDir, defaultDataDir } from '../../../electron/app/paths';
import {
  createModePreference,
  MODE_PREFERENCE_FILE,
  requestedMode,
  resolveMode,
} from '../../../electron/services/settings/mode-preference';

describe('resolveMode', () => {
  it.each<[string[], AppMode | undefined, AppMode]>([
    [[], undefined, 'demo'],
    [[], 'live', 'live'],
    [[], 'demo', 'demo'],
    [['--live'], undefined, 'live'],
    [['--live'], 'demo', 'live'],
    [['--demo'], 'live', 'demo'],
    [['--live', '--demo'], undefined, 'demo'],
    [['--demo', '--live'], 'demo', 'live'],
    [['--lively', 'live', '--port', '3000'], undefined, 'demo'],
  ])('argv %j with preference %s → %s', (argv, preferred, expected) => {
    expect(resolveMode(argv, preferred)).toBe(expected);
    expect(requestedMode(argv) ?? preferred ?? 'demo').toBe(expected);
  });
});

describe('data folders', () => {
  it.each([
    [{ PSC_ASSISTANT_DATA_DIR: '/srv/psc' }, 'linux', '/srv/psc'],
    [{ XDG_CONFIG_HOME: '/home/a/.cfg' }, 'linux', '/home/a/.cfg/psc-assistant'],
    [{ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32', join('C:\\Users\\a\\AppData\\Roaming', 'psc-assistant')],
  ])('%j on %s: both modes under %s, the preference beside them', (env, platform, base) => {
    expect(dataBaseDir(env, platform)).toBe(base);
    expect(defaultDataDir('live', env, platform)).toBe(join(base, 'live'));
    expect(defaultDataDir('demo', env, platform)).toBe(join(base, 'demo'));
  });
});

describe('mode preference file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'psc-mode-preference-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('saves and reads the mode', async () => {
    const preference = createModePreference({ baseDir: join(dir, 'base'), logger: silentLogger });
    expect(await preference.load()).toBeUndefined();
    await preference.save('live');
    expect(await preference.load()).toBe('live');
    expect(JSON.parse(await readFile(join(dir, 'base', MODE_PREFERENCE_FILE), 'utf8'))).toEqual({
      version: 1,
      mode: 'live',
    });
    await preference.save('demo');
    expect(await preference.load()).toBe('demo');
  });

  it.each([['{"version":1,"mode":"prod"}'], ['{"mode":"live"}'], ['live'], ['{"version":1,"mode":"live","x":1}']])(
    'ignores %s (no mode saved: demo by default)',
    async (text) => {
      await writeFile(join(dir, MODE_PREFERENCE_FILE), text);
      expect(await createModePreference({ baseDir: dir, logger: silentLogger }).load()).toBeUndefined();
    },
  );
});
