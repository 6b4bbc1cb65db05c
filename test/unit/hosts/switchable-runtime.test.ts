import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppMode } from '../../../shared/contract/schemas';
import { silentLogger } from '../../../shared/logging';
import { createAppRuntime } from '../../../electron/app/runtime';
import type { AppRuntime } from '../../../electron/app/runtime';
import { createSwitchableRuntime } from '../../../electron/app/switchable-runtime';
import { MODE_PREFERENCE_FILE } from '../../../electron/services/settings/mode-preference';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

/** A switchable runtime over real runtimes, each in `<base>/<mode>` like the hosts' data folders. */
async function start(initialMode: AppMode) {
  const baseDir = await mkdtemp(join(tmpdir(), 'psc-switchable-'));
  const built: AppRuntime[] = [];
  const runtime = createSwitchableRuntime({
    initialMode,
    logger: silentLogger,
    create: (mode, onModeChange) => {
      const next = createAppRuntime({
        mode,
        host: 'browser',
        dataDir: join(baseDir, mode),
        preferenceDir: baseDir,
        cardBackend: 'in-process',
        onModeChange,
      });
      built.push(next);
      return next;
    },
  });
  cleanups.push(async () => {
    await runtime.close();
    await rm(baseDir, { recursive: true, force: true });
  });
  return { runtime, built, baseDir };
}

describe('switchable runtime (browser shell mode switch)', () => {
  it('restarts in the chosen mode behind the same entry point, listeners kept', async () => {
    const { runtime, built, baseDir } = await start('demo');
    const events: string[] = [];
    runtime.subscribe((event) => events.push(event));

    const reply = await runtime.dispatch('app:set-mode', { mode: 'live' });

    expect(reply).toEqual({ ok: true, value: { restartRequired: true, restarting: true } });
    await expect
      .poll(async () => runtime.dispatch('app:get-info', undefined))
      .toMatchObject({
        ok: true,
        value: { mode: 'live' },
      });
    expect(runtime.mode).toBe('live');
    expect(built.map((each) => each.mode)).toEqual(['demo', 'live']);
    expect(JSON.parse(await readFile(join(baseDir, MODE_PREFERENCE_FILE), 'utf8'))).toEqual({
      version: 1,
      mode: 'live',
    });

    // The new runtime's events reach the listener subscribed before the switch; its settings are the live folder's.
    await runtime.dispatch('settings:update', { language: 'en' });
    expect(events).toContain('settings:changed');
    expect(JSON.parse(await readFile(join(baseDir, 'live', 'settings.json'), 'utf8'))).toMatchObject({
      language: 'en',
    });
  });

  it('tells the window when asked for the other mode, by the runtime that runs', async () => {
    const { runtime } = await start('live');
    const requested: unknown[] = [];
    runtime.subscribe((event, payload) => {
      if (event === 'app:mode-requested') {
        requested.push(payload);
      }
    });

    runtime.requestMode('live');
    runtime.requestMode('demo');

    expect(requested).toEqual([{ mode: 'demo' }]);
  });
});
