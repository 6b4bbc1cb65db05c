import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createSettingsService, defaultSettings } from '../../../electron/services/settings';
import { silentLogger } from '../../../shared/logging';

async function freshFile() {
  const dir = await mkdtemp(join(tmpdir(), 'psc-settings-'));
  return { dir, filePath: join(dir, 'settings.json') };
}

describe('electron/services/settings', () => {
  it('starts from French defaults when no file exists', async () => {
    const { filePath } = await freshFile();
    const settings = createSettingsService({ filePath, logger: silentLogger });

    await expect(settings.get()).resolves.toEqual(defaultSettings);
  });

  it('persists an update and notifies listeners', async () => {
    const { filePath } = await freshFile();
    const settings = createSettingsService({ filePath, logger: silentLogger });
    const listener = vi.fn();
    settings.onChanged(listener);

    await settings.update({ language: 'en' });

    expect(listener).toHaveBeenCalledWith({ language: 'en', theme: 'system' });
    const reread = createSettingsService({ filePath, logger: silentLogger });
    await expect(reread.get()).resolves.toEqual({ language: 'en', theme: 'system' });
  });

  it('sets a corrupt file aside instead of crashing or deleting it', async () => {
    const { dir, filePath } = await freshFile();
    await writeFile(filePath, '{"language": "tlh"');
    const settings = createSettingsService({ filePath, logger: silentLogger });

    await expect(settings.get()).resolves.toEqual(defaultSettings);

    const files = await readdir(dir);
    const aside = files.find((name) => name.startsWith('settings.json.corrupt-'));
    expect(aside).toBeDefined();
    await expect(readFile(join(dir, aside!), 'utf8')).resolves.toBe('{"language": "tlh"');
  });
});
