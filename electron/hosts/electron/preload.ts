import { contextBridge, ipcRenderer } from 'electron';

/**
 * The whole surface the renderer gets: `invoke(channel, payload)` and `on(event, listener)`.
 *
 * Sandboxed preloads cannot import our modules, so validation happens in the main process (every input) and in the
 * renderer's typed client (every reply and event).
 */
contextBridge.exposeInMainWorld('pscAssistant', {
  invoke: (channel: string, payload: unknown): Promise<unknown> =>
    ipcRenderer.invoke('contract:invoke', channel, payload),
  on: (event: string, listener: (payload: unknown) => void): (() => void) => {
    const wrapped = (_event: Electron.IpcRendererEvent, name: unknown, payload: unknown) => {
      if (name === event) {
        listener(payload);
      }
    };
    ipcRenderer.on('contract:event', wrapped);
    return () => {
      ipcRenderer.removeListener('contract:event', wrapped);
    };
  },
});
