/**
 * `settings:update` through the app runtime's dispatcher, as the page calls it: concurrent saves (two clicks, two
 * windows) all land and settings.json stays valid for the next start; a group name instead of its object id, or an
 * identifier attribute Graph cannot filter on, is refused with `contract.invalid-input` and nothing is saved.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppRuntime } from '../../electron/app/runtime';
import type { AppRuntime } from '../../electron/app/runtime';
import { settingsSchema } from '../../shared/contract/schemas';

const GROUP = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
const CLIENT = '6b1f9c2e-3d4a-4f5b-8c6d-7e8f9a0b1c2d';

describe('settings:update through the runtime', () => {
  let dataDir: string;
  let runtime: AppRuntime;
  const start = () => createAppRuntime({ mode: 'demo', host: 'browser', dataDir, preferenceDir: dataDir });

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'psc-settings-rt-'));
    runtime = start();
  });
  afterEach(async () => {
    await runtime.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('concurrent updates all succeed, all merge, and the next start reads them back', async () => {
    await runtime.dispatch('settings:get', undefined);
    const patches = [
      { theme: 'dark' },
      { language: 'en' },
      { cbaGroupId: GROUP },
      { identifierAttribute: 'onPremisesExtensionAttributes/extensionAttribute7' },
      { clientId: CLIENT },
      { theme: 'light' },
    ];
    const results = await Promise.all(patches.map((p) => runtime.dispatch('settings:update', p)));
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(patches.map(() => 'ok'));
    const expected = {
      language: 'en',
      theme: 'light',
      cbaGroupId: GROUP,
      identifierAttribute: 'onPremisesExtensionAttributes/extensionAttribute7',
      clientId: CLIENT,
    };
    expect(await runtime.dispatch('settings:get', undefined)).toEqual({ ok: true, value: expected });
    expect(settingsSchema.parse(JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8')))).toEqual(expected);

    await runtime.close();
    runtime = start();
    expect(await runtime.dispatch('settings:get', undefined)).toEqual({ ok: true, value: expected });
    expect((await readdir(dataDir)).filter((name) => name.includes('settings'))).toEqual(['settings.json']);
  });

  it.each([
    ['a group name', { cbaGroupId: 'GG-PSC-Praticiens' }, 'cbaGroupId'],
    ['an OData injection', { identifierAttribute: "x) or true or (a eq 'b" }, 'identifierAttribute'],
    ['an unknown attribute', { identifierAttribute: 'rpps' }, 'identifierAttribute'],
  ])('%s is refused and nothing is saved', async (_label, patch, field) => {
    const result = await runtime.dispatch('settings:update', patch);
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'contract.invalid-input', details: { channel: 'settings:update', issues: [{ path: field }] } },
    });
    expect(await runtime.dispatch('settings:get', undefined)).toEqual({
      ok: true,
      value: { language: 'fr', theme: 'system' },
    });
  });
});
