import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * A faithful-enough stand-in for the Electron main-process APIs the hosts use, for machines without the Electron
 * binary: it records options and handlers so tests can fire the events Electron would.
 */
type Handler = (...args: unknown[]) => unknown;

/** Minimal event emitter with Electron's `on`/`once` shape. */
class FakeEmitter {
  readonly handlers = new Map<string, Handler[]>();

  on(event: string, handler: Handler): this {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }

  once(event: string, handler: Handler): this {
    const wrapped: Handler = (...args) => {
      this.handlers.set(
        event,
        (this.handlers.get(event) ?? []).filter((h) => h !== wrapped),
      );
      return handler(...args);
    };
    return this.on(event, wrapped);
  }

  /** Call every handler of `event` with `args`. */
  emit(event: string, ...args: unknown[]): void {
    for (const handler of this.handlers.get(event) ?? []) {
      handler(...args);
    }
  }

  listenerCount(event: string): number {
    return this.handlers.get(event)?.length ?? 0;
  }
}

export class FakeWebContents extends FakeEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  readonly sent: { channel: string; args: unknown[] }[] = [];

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }

  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }

  /** Fire an event like Electron; returns whether a handler called `preventDefault`. */
  emitPreventable(event: string, ...args: unknown[]): boolean {
    let isPrevented = false;
    const electronEvent = {
      preventDefault: () => {
        isPrevented = true;
      },
    };
    this.emit(event, electronEvent, ...args);
    return isPrevented;
  }
}

export class FakeBrowserWindow extends FakeEmitter {
  static lastOptions: Record<string, unknown> | undefined;
  static readonly instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loadedUrl: string | undefined;
  isShown = false;
  isFocused = false;
  minimized = false;
  destroyed = false;

  constructor(options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.lastOptions = options;
    FakeBrowserWindow.instances.push(this);
  }

  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    return Promise.resolve();
  }

  show(): void {
    this.isShown = true;
  }

  focus(): void {
    this.isFocused = true;
  }

  isMinimized(): boolean {
    return this.minimized;
  }

  restore(): void {
    this.minimized = false;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export class FakeSession {
  permissionRequestHandler:
    ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
  permissionCheckHandler: ((contents: unknown, permission: string) => boolean) | undefined;
  deviceHandler: (() => boolean) | undefined;
  beforeRequest: ((details: { url: string }, callback: (response: { cancel: boolean }) => void) => void) | undefined;
  readonly webRequest = {
    onBeforeRequest: (handler: FakeSession['beforeRequest']) => {
      this.beforeRequest = handler;
    },
  };

  setPermissionRequestHandler(handler: FakeSession['permissionRequestHandler']): void {
    this.permissionRequestHandler = handler;
  }

  setPermissionCheckHandler(handler: FakeSession['permissionCheckHandler']): void {
    this.permissionCheckHandler = handler;
  }

  setDevicePermissionHandler(handler: () => boolean): void {
    this.deviceHandler = handler;
  }
}

/** `app`: lifecycle events, the single-instance lock, paths and quit. */
export class FakeApp extends FakeEmitter {
  hasSingleInstanceLock = true;
  quitCount = 0;
  readonly paths: Record<string, string> = {};

  requestSingleInstanceLock(): boolean {
    return this.hasSingleInstanceLock;
  }

  quit(): void {
    this.quitCount += 1;
  }

  whenReady(): Promise<void> {
    return Promise.resolve();
  }

  getPath(name: string): string {
    const path = this.paths[name];
    if (path === undefined) {
      throw new Error(`Failed to get '${name}' path`);
    }
    return path;
  }
}

/** The event `ipcMain.handle` listeners receive: only what the hosts read. */
export type FakeIpcEvent = { senderFrame: { url: string; parent: unknown } | null };

/** `ipcMain`: records `handle` registrations so tests can invoke them as a renderer would. */
export class FakeIpcMain {
  readonly handlers = new Map<string, (event: FakeIpcEvent, ...args: unknown[]) => unknown>();

  handle(channel: string, handler: (event: FakeIpcEvent, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) {
      // Electron throws on a second handler for the same channel.
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    }
    this.handlers.set(channel, handler);
  }

  /** Invoke `channel` as the given frame would; rejects like Electron when nothing handles it. */
  async invoke(channel: string, event: FakeIpcEvent, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (handler === undefined) {
      throw new Error(`No handler registered for '${channel}'`);
    }
    return await handler(event, ...args);
  }
}

/** `protocol`: privileged-scheme registrations and `handle` handlers. */
export class FakeProtocol {
  readonly privileged: { scheme: string; privileges: Record<string, boolean> }[] = [];
  readonly handlers = new Map<string, (request: Request) => Promise<Response>>();
  isReady = false;

  registerSchemesAsPrivileged(schemes: { scheme: string; privileges: Record<string, boolean> }[]): void {
    if (this.isReady) {
      // Electron only honours this before `ready`.
      throw new Error('registerSchemesAsPrivileged must be called before app ready');
    }
    this.privileged.push(...schemes);
  }

  handle(scheme: string, handler: (request: Request) => Promise<Response>): void {
    this.handlers.set(scheme, handler);
  }
}

/** A template menu item as the hosts build it. */
export type FakeMenuItem = { label?: string; role?: string; type?: string; submenu?: FakeMenuItem[] };

/** `Menu`: the built template and the application menu. */
export class FakeMenu {
  static applicationMenu: FakeMenu | null = null;

  constructor(readonly template: FakeMenuItem[]) {}

  static buildFromTemplate(template: FakeMenuItem[]): FakeMenu {
    return new FakeMenu(template);
  }

  static setApplicationMenu(menu: FakeMenu | null): void {
    FakeMenu.applicationMenu = menu;
  }
}

/** `net.fetch` for `file:` URLs, as the `app:` protocol handler uses it. */
export async function fakeNetFetch(url: string): Promise<Response> {
  if (!url.startsWith('file:')) {
    throw new Error(`fake net.fetch only reads file: URLs, got ${url}`);
  }
  try {
    return new Response(await readFile(fileURLToPath(url)), { status: 200 });
  } catch {
    return new Response('', { status: 404 });
  }
}

/** One fresh fake `electron` module, for `vi.mock('electron', …)`. */
export function createFakeElectron() {
  const defaultSession = new FakeSession();
  const opened: string[] = [];
  return {
    app: new FakeApp(),
    ipcMain: new FakeIpcMain(),
    protocol: new FakeProtocol(),
    Menu: FakeMenu,
    BrowserWindow: FakeBrowserWindow,
    session: { defaultSession },
    net: { fetch: fakeNetFetch },
    shell: {
      opened,
      openExternal: (url: string) => {
        opened.push(url);
        return Promise.resolve();
      },
    },
    safeStorage: {
      isEncryptionAvailable: () => false,
      getSelectedStorageBackend: () => 'basic_text',
    },
  };
}

/** The fake `electron` module's shape. */
export type FakeElectron = ReturnType<typeof createFakeElectron>;
