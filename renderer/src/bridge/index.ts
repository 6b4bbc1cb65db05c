import type { Bridge } from '../../../shared/contract/client';
import { createWebSocketBridge } from './websocket-bridge';

declare global {
  // Set by the Electron preload (contextBridge); absent in the browser shell.
  var pscAssistant: Bridge | undefined;
}

/** The host's bridge: the Electron preload when present, else the browser shell's WebSocket. */
export function connectBridge(): Bridge {
  if (globalThis.pscAssistant !== undefined) {
    return globalThis.pscAssistant;
  }
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return createWebSocketBridge(`${scheme}//${window.location.host}/ws`);
}
