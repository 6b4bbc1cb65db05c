import { describe, expect, it, vi } from 'vitest';
import { FakeBrowserWindow, FakeSession } from '../../fakes/electron';

vi.mock('electron', async () => {
  const fakes = await import('../../fakes/electron');
  return { BrowserWindow: fakes.FakeBrowserWindow };
});

const { createLockedWindow, guardSession, isAppUrl, isTrustedSender } =
  await import('../../../electron/hosts/electron/window-security');

function lockedWindow() {
  return createLockedWindow({
    preloadPath: '/app/preload.cjs',
    title: 'Assistant PSC',
  }) as unknown as FakeBrowserWindow;
}

describe('electron/hosts/electron/window-security', () => {
  it('creates windows isolated, sandboxed, without Node and with web security', () => {
    lockedWindow();

    expect(FakeBrowserWindow.lastOptions?.webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it.each([
    ['a remote site', 'https://evil.example/phish', true],
    ['a file URL', 'file:///etc/passwd', true],
    ['another app:// host', 'app://other/index.html', true],
    ['our own renderer', 'app://psc/index.html#/checklist', false],
  ])('%s: navigation prevented = %s', (_label, url, isPrevented) => {
    const window = lockedWindow();

    expect(window.webContents.emitPreventable('will-navigate', url)).toBe(isPrevented);
    expect(window.webContents.emitPreventable('will-redirect', url)).toBe(isPrevented);
  });

  it('denies every window.open and every webview', () => {
    const window = lockedWindow();

    expect(window.webContents.windowOpenHandler?.({ url: 'app://psc/index.html' })).toEqual({ action: 'deny' });
    expect(window.webContents.emitPreventable('will-attach-webview')).toBe(true);
  });

  it.each([
    ['media', false],
    ['notifications', false],
    ['geolocation', false],
    ['openExternal', false],
    ['clipboard-sanitized-write', true],
  ])('answers the %s permission with %s', (permission, expected) => {
    const session = new FakeSession();
    guardSession(session as never);

    let granted: boolean | undefined;
    session.permissionRequestHandler?.({}, permission, (value) => {
      granted = value;
    });
    expect(granted).toBe(expected);
    expect(session.permissionCheckHandler?.({}, permission)).toBe(expected);
    expect(session.deviceHandler?.()).toBe(false);
  });

  it.each([
    ['https://graph.microsoft.com/v1.0/me', true],
    ['http://127.0.0.1:8080/', true],
    ['app://psc/assets/index.js', false],
  ])('cancels the request to %s: %s', (url, isCancelled) => {
    const session = new FakeSession();
    guardSession(session as never);

    let response: { cancel: boolean } | undefined;
    session.beforeRequest?.({ url }, (value) => {
      response = value;
    });
    expect(response).toEqual({ cancel: isCancelled });
  });

  it.each([
    ['app://psc/index.html', true],
    ['app://psc/', true],
    ['app://psc', true],
    ['app://psc.evil.example/', false],
    ['app://psc:8080/index.html', false],
    ['app://user@psc/index.html', false],
    ['app://evil.example/app://psc/', false],
    ['https://psc/index.html', false],
    ['not a url', false],
  ])('recognises %s as app URL: %s', (url, expected) => {
    expect(isAppUrl(url)).toBe(expected);
  });

  it('does not rely on origin, which the WHATWG URL class sets to "null" for app: URLs', () => {
    // Node's URL (Electron's main process) treats app: as non-special: an origin check would refuse our own pages.
    expect(new URL('app://psc/index.html').origin).toBe('null');
    expect(isAppUrl('app://psc/index.html')).toBe(true);
  });

  it.each([
    ['our top frame', { url: 'app://psc/index.html', parent: null }, true],
    ['a subframe of ours', { url: 'app://psc/index.html', parent: {} }, false],
    ['a foreign page', { url: 'https://evil.example/', parent: null }, false],
    ['a destroyed frame', null, false],
  ])('trusts IPC from %s: %s', (_label, frame, expected) => {
    expect(isTrustedSender(frame)).toBe(expected);
  });
});
