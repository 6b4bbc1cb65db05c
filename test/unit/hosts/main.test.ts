import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dataBaseDir, defaultDataDir } from '../../../electron/app/paths';
import type * as RuntimeModule from '../../../electron/app/runtime';
import type { AppRuntime, RuntimeOptions } from '../../../electron/app/runtime';
import { MODE_PREFERENCE_FILE } from '../../../electron/services/settings/mode-preference';
import { createFakeElectron, FakeBrowserWindow, FakeWebContents } from '../../fakes/electron';
import type { FakeElectron } from '../../fakes/electron';

/** `app.relaunch` / `app.exit` as Electron has them, recorded (the shared fake predates the mode switch). */
type RestartingApp = { relaunched: { args?: string[] }[]; exitCodes: number[] };

type Loaded = {
  electron: FakeElectron;
  app: RestartingApp;
  runtimes: AppRuntime[];
  options: RuntimeOptions[];
  baseDir: string;
  window: () => FakeBrowserWindow;
};

const cleanups: (() => Promise<void>)[] = [];

/**
 * Import electron/hosts/electron/main.ts afresh against a fresh Electron fake, like one launch of the app.
 * The real runtime is used (demo mode, throwaway data folder); its factory is only wrapped to close it afterwards.
 */
async function launch(
  options: {
    hasLock?: boolean;
    argv?: string[];
    preference?: string;
    baseDir?: string;
    /** Prepares folders before the launch (a legacy userData folder). */
    before?: (folders: { baseDir: string; userData: string }) => Promise<void>;
  } = {},
): Promise<Loaded> {
  vi.resetModules();
  const electron = createFakeElectron();
  electron.app.hasSingleInstanceLock = options.hasLock ?? true;
  const baseDir = options.baseDir ?? (await mkdtemp(join(tmpdir(), 'psc-electron-main-')));
  // Electron's own userData folder is elsewhere: the host must not use it for the app's data.
  electron.app.paths.userData = join(baseDir, 'electron-user-data');
  vi.stubEnv('PSC_ASSISTANT_DATA_DIR', baseDir);
  if (options.preference !== undefined) {
    await writeFile(join(baseDir, MODE_PREFERENCE_FILE), options.preference);
  }
  await options.before?.({ baseDir, userData: electron.app.paths.userData });
  const argvBefore = process.argv;
  process.argv = [...argvBefore.slice(0, 2), ...(options.argv ?? [])];
  const restarting: RestartingApp = { relaunched: [], exitCodes: [] };
  Object.assign(electron.app, {
    relaunch: (relaunchOptions?: { args?: string[] }) => {
      restarting.relaunched.push(relaunchOptions ?? {});
    },
    exit: (code?: number) => {
      restarting.exitCodes.push(code ?? 0);
    },
  });
  const runtimes: AppRuntime[] = [];
  const runtimeOptions: RuntimeOptions[] = [];
  vi.doMock('electron', () => electron);
  vi.doMock('../../../electron/app/runtime', async (importOriginal) => {
    const original = await importOriginal<typeof RuntimeModule>();
    return {
      ...original,
      createAppRuntime: (...args: Parameters<typeof original.createAppRuntime>) => {
        runtimeOptions.push(args[0]);
        const runtime = original.createAppRuntime(...args);
        runtimes.push(runtime);
        return runtime;
      },
    };
  });
  const windowsBefore = FakeBrowserWindow.instances.length;
  try {
    await import('../../../electron/hosts/electron/main');
    // `app.whenReady().then(start)`: let the ready callback run (it reads the mode preference first).
    await new Promise((resolve) => setImmediate(resolve));
    if (options.hasLock ?? true) {
      await vi.waitFor(() => {
        expect(FakeBrowserWindow.instances.length).toBeGreaterThan(windowsBefore);
      }, 15_000);
    }
  } finally {
    process.argv = argvBefore;
  }
  electron.protocol.isReady = true;
  cleanups.push(async () => {
    await Promise.all(runtimes.map((runtime) => runtime.close()));
    if (options.baseDir === undefined) {
      await rm(baseDir, { recursive: true, force: true });
    }
  });
  return {
    electron,
    app: restarting,
    runtimes,
    options: runtimeOptions,
    baseDir,
    window: () => {
      const window = FakeBrowserWindow.instances[windowsBefore];
      if (window === undefined) {
        throw new Error('no window was created');
      }
      return window;
    },
  };
}

const ourFrame = { senderFrame: { url: 'app://psc/index.html#/guichet', parent: null } };

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
  vi.doUnmock('electron');
  vi.doUnmock('../../../electron/app/runtime');
  vi.unstubAllEnvs();
});

describe('electron/hosts/electron/main', () => {
  it('registers the app: scheme as privileged before the app is ready', async () => {
    const { electron } = await launch();

    expect(electron.protocol.privileged.map((entry) => entry.scheme)).toEqual(['app']);
    expect(electron.protocol.handlers.has('app')).toBe(true);
  });

  it('quits at once, with no window, IPC or services, when another instance holds the lock', async () => {
    const { electron, runtimes } = await launch({ hasLock: false });

    expect(electron.app.quitCount).toBe(1);
    expect(electron.ipcMain.handlers.size).toBe(0);
    expect(runtimes).toHaveLength(0);
    expect(electron.app.listenerCount('second-instance')).toBe(0);
  });

  it('brings the existing window back when a second instance starts', async () => {
    const { electron, window } = await launch();
    window().minimized = true;

    electron.app.emit('second-instance');

    expect(window().minimized).toBe(false);
    expect(window().isFocused).toBe(true);
  });

  it.each([
    ['demo', [], undefined],
    ['live', ['--live'], undefined],
    ['live', [], '{"version":1,"mode":"live"}'],
    ['demo', ['--demo'], '{"version":1,"mode":"live"}'],
    ['demo', [], '{"mode":"live"'],
  ] as const)(
    'runs in %s mode (argv %j, preference %s) in the data folder every host uses',
    async (mode, argv, preference) => {
      const { electron, options, baseDir } = await launch({
        argv: [...argv],
        ...(preference === undefined ? {} : { preference }),
      });

      expect(options).toHaveLength(1);
      expect(options[0]?.mode).toBe(mode);
      // The browser shell and the CLI resolve the same folder from the same environment.
      expect(options[0]?.dataDir).toBe(defaultDataDir(mode));
      expect(options[0]?.dataDir).toBe(join(baseDir, mode));
      expect(options[0]?.preferenceDir).toBe(dataBaseDir());
      const info = await electron.ipcMain.invoke('contract:invoke', ourFrame, 'app:get-info', undefined);
      expect(info).toMatchObject({ ok: true, value: { mode } });
    },
  );

  it('moves the data an earlier build kept under userData into the shared folder, once', async () => {
    const settingsText = `${JSON.stringify({ language: 'en', theme: 'dark' })}\n`;
    const { electron, baseDir } = await launch({
      argv: ['--live'],
      before: async ({ userData }) => {
        await mkdir(join(userData, 'live'), { recursive: true });
        await writeFile(join(userData, 'live', 'settings.json'), settingsText);
        await mkdir(join(userData, 'demo'), { recursive: true });
        await writeFile(join(userData, 'demo', 'settings.json'), settingsText);
      },
    });

    const settings = await electron.ipcMain.invoke('contract:invoke', ourFrame, 'settings:get', undefined);
    expect(settings).toMatchObject({ ok: true, value: { language: 'en', theme: 'dark' } });
    expect(await readFile(join(baseDir, 'live', 'settings.json'), 'utf8')).toBe(settingsText);
    const userData = join(baseDir, 'electron-user-data');
    await expect(readFile(join(userData, 'live', 'settings.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    // Only the mode that runs is moved; the other one follows when it runs.
    expect(await readFile(join(userData, 'demo', 'settings.json'), 'utf8')).toBe(settingsText);
  });

  it('never merges a legacy folder into an existing one', async () => {
    const { electron, baseDir } = await launch({
      before: async ({ baseDir: base, userData }) => {
        await mkdir(join(userData, 'demo'), { recursive: true });
        await writeFile(join(userData, 'demo', 'settings.json'), JSON.stringify({ language: 'en', theme: 'dark' }));
        await mkdir(join(base, 'demo'), { recursive: true });
        await writeFile(join(base, 'demo', 'settings.json'), JSON.stringify({ language: 'fr', theme: 'light' }));
      },
    });

    const settings = await electron.ipcMain.invoke('contract:invoke', ourFrame, 'settings:get', undefined);
    expect(settings).toMatchObject({ ok: true, value: { language: 'fr', theme: 'light' } });
    const legacy = join(baseDir, 'electron-user-data', 'demo', 'settings.json');
    expect(JSON.parse(await readFile(legacy, 'utf8'))).toEqual({ language: 'en', theme: 'dark' });
  });

  it('saves the chosen mode and relaunches into it, services closed first', async () => {
    const { electron, app, runtimes, baseDir } = await launch({ argv: ['--demo', '--inspect-brk=0'] });

    const reply = await electron.ipcMain.invoke('contract:invoke', ourFrame, 'app:set-mode', { mode: 'live' });

    expect(reply).toEqual({ ok: true, value: { restartRequired: true, restarting: true } });
    await vi.waitFor(() => {
      expect(app.exitCodes).toEqual([0]);
    }, 10_000);
    expect(app.relaunched).toHaveLength(1);
    const args = app.relaunched[0]?.args ?? [];
    // The old mode flag would win over the saved preference: it is replaced, other arguments kept.
    expect(args.filter((arg) => arg.startsWith('--'))).toEqual(['--inspect-brk=0', '--live']);
    expect(JSON.parse(await readFile(join(baseDir, MODE_PREFERENCE_FILE), 'utf8'))).toEqual({
      version: 1,
      mode: 'live',
    });
    // The next launch, without any flag, starts in the saved mode.
    const next = await launch({ baseDir });
    expect(next.options[0]?.mode).toBe('live');
    expect(runtimes).toHaveLength(1);
  }, 30_000);

  it('saves the current mode without restarting', async () => {
    const { electron, app, baseDir } = await launch({ argv: ['--demo'], preference: '{"version":1,"mode":"live"}' });

    const reply = await electron.ipcMain.invoke('contract:invoke', ourFrame, 'app:set-mode', { mode: 'demo' });

    expect(reply).toEqual({ ok: true, value: { restartRequired: false, restarting: false } });
    expect(JSON.parse(await readFile(join(baseDir, MODE_PREFERENCE_FILE), 'utf8'))).toEqual({
      version: 1,
      mode: 'demo',
    });
    expect(app.relaunched).toEqual([]);
  });

  it('tells the window when a second launch asks for the other mode, not for the same one', async () => {
    const { electron, window } = await launch();
    window().minimized = true;

    electron.app.emit('second-instance', {}, ['/opt/assistant-psc/assistant-psc', '--demo'], '/');
    electron.app.emit('second-instance', {}, ['/opt/assistant-psc/assistant-psc', '--live'], '/');

    expect(window().isFocused).toBe(true);
    const requests = window().webContents.sent.filter((message) => message.args[0] === 'app:mode-requested');
    expect(requests).toEqual([{ channel: 'contract:event', args: ['app:mode-requested', { mode: 'live' }] }]);
  });

  it('denies window.open in every web contents the app creates, not only the main window', async () => {
    const { electron } = await launch();
    const contents = new FakeWebContents();

    electron.app.emit('web-contents-created', {}, contents);

    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'app://psc/index.html' })).toEqual({ action: 'deny' });
  });

  it('guards the default session: permissions denied, remote requests cancelled', async () => {
    const { electron } = await launch();
    const session = electron.session.defaultSession;

    let granted: boolean | undefined;
    session.permissionRequestHandler?.({}, 'media', (value) => {
      granted = value;
    });
    let response: { cancel: boolean } | undefined;
    session.beforeRequest?.({ url: 'https://evil.example/x.js' }, (value) => {
      response = value;
    });

    expect(granted).toBe(false);
    expect(response).toEqual({ cancel: true });
  });

  it('installs the French application menu', async () => {
    const { electron } = await launch();

    const labels = electron.Menu.applicationMenu?.template.map((item) => item.label);
    expect(labels).toEqual(expect.arrayContaining(['Fichier', 'Édition', 'Affichage', 'Fenêtre']));
  });

  it('opens one locked window on our own renderer and shows it when ready', async () => {
    const { window } = await launch();

    expect(window().loadedUrl).toBe('app://psc/index.html');
    expect(FakeBrowserWindow.lastOptions?.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true });
    expect(window().isShown).toBe(false);
    window().emit('ready-to-show');
    expect(window().isShown).toBe(true);
  });

  it.each([
    ['a foreign page', { senderFrame: { url: 'https://evil.example/', parent: null } }],
    ['a subframe of our page', { senderFrame: { url: 'app://psc/index.html', parent: {} } }],
    ['another app: host', { senderFrame: { url: 'app://evil/index.html', parent: null } }],
    ['a destroyed frame', { senderFrame: null }],
  ])('refuses IPC from %s with contract.untrusted-sender, before any service runs', async (_label, event) => {
    const { electron } = await launch();

    const reply = await electron.ipcMain.invoke('contract:invoke', event, 'settings:update', { language: 'en' });
    const settings = await electron.ipcMain.invoke('contract:invoke', ourFrame, 'settings:get', undefined);

    expect(reply).toEqual({
      ok: false,
      error: { code: 'contract.untrusted-sender', messageKey: 'errors.contract.untrusted-sender' },
    });
    expect(settings).toMatchObject({ ok: true, value: { language: 'fr' } });
  });

  it('answers our own top frame through the validated contract', async () => {
    const { electron } = await launch();

    const info = await electron.ipcMain.invoke('contract:invoke', ourFrame, 'app:get-info', undefined);
    const unknown = await electron.ipcMain.invoke('contract:invoke', ourFrame, 'fs:read', '/etc/passwd');
    const invalid = await electron.ipcMain.invoke('contract:invoke', ourFrame, 'settings:update', { language: 'xx' });

    expect(info).toMatchObject({ ok: true, value: { host: 'electron', mode: 'demo' } });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'contract.unknown-channel' } });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'contract.invalid-input' } });
  });

  it('forwards service events to the window on the single event channel', async () => {
    const { electron, window } = await launch();

    await electron.ipcMain.invoke('contract:invoke', ourFrame, 'settings:update', { language: 'en' });

    expect(window().webContents.sent).toContainEqual({
      channel: 'contract:event',
      args: ['settings:changed', expect.objectContaining({ language: 'en' })],
    });
  });

  it('quits when the last window closes', async () => {
    const { electron } = await launch();

    electron.app.emit('window-all-closed');

    expect(electron.app.quitCount).toBe(1);
  });
});
