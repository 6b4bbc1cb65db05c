import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDbPath } from '../../../electron/services/store/paths';

describe('store defaultDbPath', () => {
  it.each([
    [
      'PSC_ASSISTANT_DATA_DIR wins',
      { PSC_ASSISTANT_DATA_DIR: '/data/psc', XDG_CONFIG_HOME: '/x' },
      'linux',
      '/data/psc/live/psc-assistant.db',
    ],
    ['XDG_CONFIG_HOME next', { XDG_CONFIG_HOME: '/x' }, 'linux', '/x/psc-assistant/live/psc-assistant.db'],
    ['~/.config by default', {}, 'linux', join(homedir(), '.config', 'psc-assistant', 'live', 'psc-assistant.db')],
    [
      'an empty override is ignored',
      { PSC_ASSISTANT_DATA_DIR: '' },
      'linux',
      join(homedir(), '.config', 'psc-assistant', 'live', 'psc-assistant.db'),
    ],
    [
      'APPDATA on Windows',
      { APPDATA: '/appdata' },
      'win32',
      join('/appdata', 'psc-assistant', 'live', 'psc-assistant.db'),
    ],
  ])('%s', (_name, env, platform, expected) => {
    expect(defaultDbPath(env, platform)).toBe(expected);
  });
});
