import { describe, expect, it, vi } from 'vitest';

const exposed = new Map<string, unknown>();
const ipcRenderer = { invoke: vi.fn(() => Promise.resolve('reply')), on: vi.fn(), removeListener: vi.fn() };

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => {
      exposed.set(key, api);
    },
  },
  ipcRenderer,
}));

await import('../../../electron/hosts/electron/preload');

type ExposedApi = {
  invoke(channel: string, payload: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): () => void;
};

describe('electron/hosts/electron/preload', () => {
  it('exposes exactly invoke and on, under one name', () => {
    expect([...exposed.keys()]).toEqual(['pscAssistant']);
    expect(Object.keys(exposed.get('pscAssistant') as object).sort()).toEqual(['invoke', 'on']);
  });

  it('sends every call through the single contract channel', async () => {
    const api = exposed.get('pscAssistant') as ExposedApi;

    await expect(api.invoke('settings:get', undefined)).resolves.toBe('reply');

    expect(ipcRenderer.invoke).toHaveBeenCalledWith('contract:invoke', 'settings:get', undefined);
  });

  it('delivers only the subscribed event, without the Electron event object, and unsubscribes', () => {
    const api = exposed.get('pscAssistant') as ExposedApi;
    const listener = vi.fn();

    const unsubscribe = api.on('settings:changed', listener);
    const wrapped = (ipcRenderer.on.mock.calls.at(-1) as unknown as [string, (...args: unknown[]) => void])[1];
    wrapped({ sender: 'ipc internals' }, 'cards:read-started', { reader: 'A' });
    wrapped({ sender: 'ipc internals' }, 'settings:changed', { language: 'en' });
    unsubscribe();

    expect(listener).toHaveBeenCalledExactlyOnceWith({ language: 'en' });
    expect(ipcRenderer.removeListener).toHaveBeenCalledWith('contract:event', wrapped);
  });
});
