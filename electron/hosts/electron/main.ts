import { join } from 'node:path';
import { app, ipcMain, Menu, session } from 'electron';
import type { BrowserWindow } from 'electron';
import { errorResult, contractErrorCodes } from '../../../shared/contract/envelope';
import type { AppMode } from '../../../shared/contract/schemas';
import { dataBaseDir, defaultDataDir, moveLegacyDataDir } from '../../app/paths';
import { createAppRuntime } from '../../app/runtime';
import type { AppRuntime } from '../../app/runtime';
import { createLogger } from '../../services/logging';
import { createModePreference, requestedMode, resolveMode } from '../../services/settings/mode-preference';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { buildFrenchMenu } from './menu';
import { openSignInPage } from './open-sign-in-page';
import { safeStorageProtection } from './safe-storage-protection';
import { appOrigin, createLockedWindow, guardSession, isTrustedSender } from './window-security';

/**
 * Electron host: wiring only. Services live behind `createAppRuntime`, shared with the browser shell. The mode comes
 * from `--live` / `--demo`, else the preference saved from Paramètres, else demo; data lives in the same folder as
 * the browser shell's and the CLI's (`defaultDataDir`).
 */
const logger = createLogger('electron-host');
// This launch's arguments (after the executable), as `app.relaunch` takes them.
const launchArgs = process.argv.slice(1);
let runtime: AppRuntime | undefined;
let mainWindow: BrowserWindow | undefined;

registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv: readonly string[] | undefined) => {
    if (mainWindow !== undefined) {
      if (mainWindow.isMinimized()) {
        mainWindow.restore();
      }
      mainWindow.focus();
    }
    // `--live` on a shortcut while the demo runs (or the reverse): the window offers to restart in that mode.
    const asked = requestedMode(argv ?? []);
    if (asked !== undefined) {
      runtime?.requestMode(asked);
    }
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  app.on('window-all-closed', () => {
    app.quit();
  });
  app.on('will-quit', () => {
    void runtime?.close();
  });
  void app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      logger.error('start failed', { error: error instanceof Error ? error.stack : String(error) });
      app.quit();
    });
}

/** Restart into `next`: services closed first (`app.exit` skips `will-quit`), the mode flag replaced. */
async function relaunchInto(next: AppMode) {
  await runtime?.close().catch((error: unknown) => {
    logger.warn('runtime close before relaunch failed', { error: String(error) });
  });
  const args = launchArgs.filter((arg) => arg !== '--live' && arg !== '--demo');
  app.relaunch({ args: [...args, next === 'live' ? '--live' : '--demo'] });
  app.exit(0);
}

async function start() {
  const rendererDir = join(__dirname, '..', 'renderer');
  serveRenderer(rendererDir);
  guardSession(session.defaultSession);
  Menu.setApplicationMenu(buildFrenchMenu(process.platform === 'darwin'));

  const baseDir = dataBaseDir();
  const mode = resolveMode(launchArgs, await createModePreference({ baseDir, logger }).load());
  const dataDir = defaultDataDir(mode);
  // Earlier builds kept their data under Electron's userData folder, apart from the browser shell and the CLI.
  const moved = await moveLegacyDataDir(join(app.getPath('userData'), mode), dataDir);
  if (moved !== 'nothing-to-move') {
    logger[moved === 'moved' ? 'info' : 'warn']('legacy data folder', { mode, dataDir, outcome: moved });
  }
  const cacheProtection = safeStorageProtection();
  runtime = createAppRuntime({
    mode,
    host: 'electron',
    dataDir,
    preferenceDir: baseDir,
    onModeChange: relaunchInto,
    // The main bundle is CommonJS: resolve the native addon with its own require (unpacked from the asar).
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- native addon loaded at run time, not bundled.
    loadPcscAddon: () => require('@pokusew/pcsclite') as unknown,
    identity: {
      // Sign-in pages open in the user's browser, never inside the app window.
      openExternal: openSignInPage,
      ...(cacheProtection === undefined ? {} : { cacheProtection }),
    },
  });
  const activeRuntime = runtime;

  ipcMain.handle('contract:invoke', async (event, channel: unknown, payload: unknown) => {
    // Only our own top frame may call services.
    if (!isTrustedSender(event.senderFrame)) {
      return errorResult(contractErrorCodes.untrustedSender, 'errors.contract.untrusted-sender');
    }
    return activeRuntime.dispatch(channel, payload);
  });

  const window = createLockedWindow({ preloadPath: join(__dirname, 'preload.cjs'), title: 'Assistant PSC' });
  mainWindow = window;
  activeRuntime.subscribe((name, payload) => {
    if (!window.isDestroyed()) {
      window.webContents.send('contract:event', name, payload);
    }
  });
  window.once('ready-to-show', () => {
    window.show();
  });
  void window.loadURL(`${appOrigin}/index.html`);
}
