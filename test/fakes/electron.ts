/**
 * A faithful-enough stand-in for the Electron main-process APIs the hosts use, for machines without the Electron
 * binary: it records options and handlers so tests can fire the events Electron would.
 */
type Handler = (...args: unknown[]) => unknown;

export class FakeWebContents {
  readonly handlers = new Map<string, Handler[]>();
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;

  on(event: string, handler: Handler): this {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }

  /** Fire an event like Electron; returns whether a handler called `preventDefault`. */
  emitPreventable(event: string, ...args: unknown[]): boolean {
    let isPrevented = false;
    const electronEvent = {
      preventDefault: () => {
        isPrevented = true;
      },
    };
    for (const handler of this.handlers.get(event) ?? []) {
      handler(electronEvent, ...args);
    }
    return isPrevented;
  }
}

export class FakeBrowserWindow {
  static lastOptions: Record<string, unknown> | undefined;
  readonly webContents = new FakeWebContents();

  constructor(options: Record<string, unknown>) {
    FakeBrowserWindow.lastOptions = options;
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
