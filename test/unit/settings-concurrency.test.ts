/**
 * Settings saves never lose each other: concurrent `update`s are serialized and all merged, the file stays valid JSON
 * that the next start loads (nothing set aside), no temporary file is left behind; and the `settings:update` contract
 * only accepts an identifier attribute Graph can filter on and a GUID group id, while older files still load.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSettingsService } from '../../electron/services/settings';
import type { Settings } from '../../shared/contract/schemas';
import { isGuid, settingsSchema, settingsUpdateInputSchema } from '../../shared/contract/schemas';
import { silentLogger } from '../../shared/logging';

const GROUP = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
const CLIENT = '6b1f9c2e-3d4a-4f5b-8c6d-7e8f9a0b1c2d';

async function freshFile() {
  const dir = await mkdtemp(join(tmpdir(), 'psc-settings-conc-'));
  return { dir, filePath: join(dir, 'settings.json') };
}

describe('settings service: concurrent updates', () => {
  const patches: Partial<Settings>[] = [
    { theme: 'dark' },
    { language: 'en' },
    { cbaGroupId: GROUP },
    { identifierAttribute: 'employeeId' },
    { clientId: CLIENT },
  ];
  const expected: Settings = {
    language: 'en',
    theme: 'dark',
    cbaGroupId: GROUP,
    identifierAttribute: 'employeeId',
    clientId: CLIENT,
  };

  it.each([
    ['before the first read', false],
    ['after the file was loaded', true],
  ])('%s: every update lands, the file is valid and nothing is set aside', async (_label, loadFirst) => {
    const { dir, filePath } = await freshFile();
    const settings = createSettingsService({ filePath, logger: silentLogger });
    const seen: Settings[] = [];
    settings.onChanged((s) => seen.push(s));
    if (loadFirst) {
      await settings.get();
    }

    const results = await Promise.allSettled(patches.map((patch) => settings.update(patch)));

    expect(results.map((r) => r.status)).toEqual(patches.map(() => 'fulfilled'));
    // Serialized in call order: each result holds its own patch and every earlier one.
    const values = results.map((r) => (r.status === 'fulfilled' ? r.value : null));
    patches.forEach((patch, i) => {
      expect(values[i]).toMatchObject(Object.assign({}, ...patches.slice(0, i + 1)) as Partial<Settings>);
      expect(values[i]).toMatchObject(patch);
    });
    expect(seen).toHaveLength(patches.length);
    await expect(settings.get()).resolves.toEqual(expected);
    const onDisk = settingsSchema.parse(JSON.parse(await readFile(filePath, 'utf8')));
    expect(onDisk).toEqual(expected);
    // The next start loads the same settings (a broken file would be set aside and defaults used).
    await expect(createSettingsService({ filePath, logger: silentLogger }).get()).resolves.toEqual(expected);
    expect((await readdir(dir)).sort()).toEqual(['settings.json']);
  });

  it('many rounds of 20 concurrent updates from two services on one file keep a valid file', async () => {
    const { dir, filePath } = await freshFile();
    const a = createSettingsService({ filePath, logger: silentLogger });
    const b = createSettingsService({ filePath, logger: silentLogger });
    for (let round = 0; round < 5; round++) {
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 === 0 ? a : b).update({ theme: i % 3 === 0 ? 'dark' : 'light', language: i % 2 ? 'fr' : 'en' }),
        ),
      );
      // Each service has its own temporary files: no save fails because another renamed its file away.
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      expect(settingsSchema.safeParse(JSON.parse(await readFile(filePath, 'utf8'))).success).toBe(true);
    }
    expect((await readdir(dir)).sort()).toEqual(['settings.json']);
  });

  it('a failed save rejects that update only, leaves no temporary file and the next update still works', async () => {
    const { dir, filePath } = await freshFile();
    const settings = createSettingsService({ filePath, logger: silentLogger });
    await settings.update({ theme: 'dark' });
    // A non-empty folder where the file should be: the rename fails, even for root.
    await rm(filePath);
    await mkdir(join(filePath, 'blocker'), { recursive: true });

    await expect(settings.update({ language: 'en' })).rejects.toBeInstanceOf(Error);
    expect((await readdir(dir)).sort()).toEqual(['settings.json']);

    await rm(filePath, { recursive: true });
    // The chain survives the failure; the failed patch was not kept.
    await expect(settings.update({ theme: 'light' })).resolves.toEqual({ language: 'fr', theme: 'light' });
    expect(settingsSchema.parse(JSON.parse(await readFile(filePath, 'utf8')))).toEqual({
      language: 'fr',
      theme: 'light',
    });
  });
});

describe('settings:update input', () => {
  it.each([
    ['extensionAttribute1', { identifierAttribute: 'onPremisesExtensionAttributes/extensionAttribute1' }, true],
    ['extensionAttribute15', { identifierAttribute: 'onPremisesExtensionAttributes/extensionAttribute15' }, true],
    ['extensionAttribute16', { identifierAttribute: 'onPremisesExtensionAttributes/extensionAttribute16' }, false],
    ['employeeId', { identifierAttribute: 'employeeId' }, true],
    ['directory extension', { identifierAttribute: `extension_${'a1'.repeat(16)}_rpps` }, true],
    ['OData injection', { identifierAttribute: "x) or true or (a eq 'b" }, false],
    ['a $select list', { identifierAttribute: 'employeeId,passwordProfile' }, false],
    ['empty attribute', { identifierAttribute: '' }, false],
    ['GUID group', { cbaGroupId: GROUP }, true],
    ['uppercase GUID group', { cbaGroupId: GROUP.toUpperCase() }, true],
    ['group name', { cbaGroupId: 'GG-PSC-Praticiens' }, false],
    ['GUID with braces', { cbaGroupId: `{${GROUP}}` }, false],
    ['language only', { language: 'en' }, true],
    ['unknown key', { other: 1 }, false],
  ])('%s', (_label, input, ok) => {
    expect(settingsUpdateInputSchema.safeParse(input).success).toBe(ok);
  });

  it('a file saved before the checks still loads (the stored schema stays lenient)', async () => {
    const { filePath } = await freshFile();
    const legacy = { language: 'fr', theme: 'system', cbaGroupId: 'GG-PSC-Praticiens', identifierAttribute: 'rpps' };
    await writeFile(filePath, JSON.stringify(legacy));
    const settings = createSettingsService({ filePath, logger: silentLogger });
    await expect(settings.get()).resolves.toEqual(legacy);
    // Another field can still be saved; the stale values stay until the agent fixes them in Paramètres.
    await expect(settings.update({ theme: 'dark' })).resolves.toEqual({ ...legacy, theme: 'dark' });
  });

  it.each([
    [GROUP, true],
    ['00000002-0001-4000-8000-000000000001', true],
    ['0f1e2d3c4b5a49688776a5b4c3d2e1f0', false],
    [`${GROUP} `, false],
    ['', false],
  ])('isGuid(%j) is %s', (text, ok) => {
    expect(isGuid(text)).toBe(ok);
  });
});
