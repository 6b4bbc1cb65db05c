import { join } from 'node:path';
import { app, ipcMain, Menu, session } from 'electron';
import type { BrowserWindow } from 'electron';
import { errorResult, contractErrorCodes } from '../../../shared/contract/envelope';
import { createAppRuntime } from '../../app/runtime';
import type { AppRuntime } from '../../app/runtime';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { buildFrenchMenu } from './menu';
import { openSignInPage } from './open-sign-in-page';
import { safeStorageProtection } from './safe-storage-protection';
import { appOrigin, createLockedWindow, guardSession, isTrustedSender } from './window-security';

/**
 * Electron host: wiring only. Services live behind `createAppRuntime`, shared with the browser shell.
 */
const mode = process.argv.includes('--live') ? 'live' : 'demo';
let runtime: AppRuntime | undefined;
let mainWindow: BrowserWindow | undefined;

registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow !== undefined) {
      if (mainWindow.isMinimized()) {
        mainWindow.restore();
      }
      mainWindow.focus();
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
  void app.whenReady().then(start);
}

function start() {
  const rendererDir = join(__dirname, '..', 'renderer');
  serveRenderer(rendererDir);
  guardSession(session.defaultSession);
  Menu.setApplicationMenu(buildFrenchMenu(process.platform === 'darwin'));

  const dataDir = join(app.getPath('userData'), mode === 'demo' ? 'demo' : 'live');
  const cacheProtection = safeStorageProtection();
  runtime = createAppRuntime({
    mode,
    host: 'electron',
    dataDir,
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
