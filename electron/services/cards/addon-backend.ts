/**
 * Fallback PC/SC backend over `@pokusew/pcsclite` (→ libpcsclite → pcscd), used when koffi cannot load the PC/SC
 * library. It has no SCardBeginTransaction: reads run without a PC/SC transaction. The addon is loaded lazily so a
 * machine without it still starts (state `pcsc-unavailable`). pcscd is probed on its socket first: the addon's
 * constructor spins forever in SCardEstablishContext while the service is down, which would freeze the main process.
 */
import { createRequire } from 'node:module';
import type { Logger } from '../../../shared/logging';
import type { BackendListener, CardConnection, ReaderBackend } from './backend';
import { classifyPcscError, serviceDownError, serviceError, translatePcscError, unavailableError } from './errors';
import { probeSocket } from './ffi-backend';
import { moduleBase } from './winscard-ffi';

/** The slice of the addon's CardReader we use. */
type AddonReader = {
  name: string;
  connected: boolean;
  SCARD_SHARE_SHARED: number;
  SCARD_PROTOCOL_T0: number;
  SCARD_PROTOCOL_T1: number;
  SCARD_STATE_PRESENT: number;
  SCARD_LEAVE_CARD: number;
  on(event: 'status', listener: (status: { state: number; atr?: Buffer }) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  connect(options: { share_mode: number; protocol: number }, cb: (error: unknown, protocol: number) => void): void;
  disconnect(disposition: number, cb: (error: unknown) => void): void;
  transmit(data: Buffer, resLen: number, protocol: number, cb: (error: unknown, response: Buffer) => void): void;
  close(): void;
};

/** The slice of the addon's PCSCLite we use. */
type AddonContext = {
  on(event: 'reader', listener: (reader: AddonReader) => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  close(): void;
};

/** Injected for tests: how to load the addon and where pcscd listens. */
export type AddonBackendOptions = {
  readonly logger: Logger;
  readonly loadAddon?: () => unknown;
  readonly socketPath?: string;
  readonly platform?: NodeJS.Platform;
};

/** Quiet period before closing the addon (see `stop`). */
const QUIET_MS = 500;

/** Receive buffer for one response APDU: 256 data bytes + SW1 SW2. */
const MAX_RESPONSE = 258;

function defaultLoadAddon(): unknown {
  return createRequire(moduleBase())('@pokusew/pcsclite');
}

const isConnected = (reader: AddonReader): boolean => reader.connected;

/** Creates the addon PC/SC backend. */
export function createAddonPcscBackend(options: AddonBackendOptions): ReaderBackend {
  const { logger } = options;
  const platform = options.platform ?? process.platform;
  const readers = new Map<string, AddonReader>();
  let context: AddonContext | undefined;
  let stopping = false;
  let lastActivity = 0;

  const start = async (listener: BackendListener): Promise<void> => {
    stopping = false;
    let factory: unknown;
    try {
      factory = (options.loadAddon ?? defaultLoadAddon)();
    } catch (error) {
      throw unavailableError(error, platform);
    }
    if (typeof factory !== 'function') {
      throw unavailableError(new Error('@pokusew/pcsclite did not export a factory'), platform);
    }
    if (platform === 'linux') {
      const socketPath = options.socketPath ?? process.env.PCSCLITE_CSOCK_NAME ?? '/run/pcscd/pcscd.comm';
      if (!(await probeSocket(socketPath))) {
        throw serviceDownError(new Error(`no pcscd on ${socketPath}`), platform);
      }
    }
    let created: AddonContext;
    try {
      created = (factory as () => AddonContext)();
    } catch (error) {
      throw classifyPcscError(error) === 'service-down'
        ? serviceDownError(error, platform)
        : unavailableError(error, platform);
    }
    context = created;
    created.on('error', (error) => {
      if (stopping) {
        return;
      }
      logger.warn('pcsc context error', { error: String(error) });
      // Any context failure ends PC/SC monitoring: the usual cause is pcscd stopping.
      listener.failed(serviceDownError(error, platform));
    });
    created.on('reader', (reader) => {
      lastActivity = Date.now();
      readers.set(reader.name, reader);
      let previous = 0;
      listener.readerAdded(reader.name);
      reader.on('error', (error) => {
        if (stopping) {
          return;
        }
        logger.debug('reader error', { reader: reader.name, error: String(error) });
        if (classifyPcscError(error) === 'service-down') {
          listener.failed(serviceDownError(error, platform));
        }
      });
      reader.on('end', () => {
        readers.delete(reader.name);
        if (!stopping) {
          listener.readerRemoved(reader.name);
        }
      });
      reader.on('status', (status) => {
        lastActivity = Date.now();
        const present = (status.state & reader.SCARD_STATE_PRESENT) !== 0;
        const wasPresent = (previous & reader.SCARD_STATE_PRESENT) !== 0;
        previous = status.state;
        if (present && !wasPresent && status.atr && status.atr.length > 0) {
          listener.cardInserted(reader.name, new Uint8Array(status.atr));
        } else if (!present && wasPresent) {
          listener.cardRemoved(reader.name);
        }
      });
    });
  };

  const disconnect = (reader: AddonReader) =>
    new Promise<unknown>((resolve) => {
      reader.disconnect(reader.SCARD_LEAVE_CARD, resolve);
    });

  const connect = async (name: string): Promise<CardConnection> => {
    const reader = readers.get(name);
    if (!reader) {
      throw serviceError('card.reader-unknown', { reader: name });
    }
    if (reader.connected) {
      // A previous disconnect failed: the addon would hand back that stale handle (without a protocol). Reset it.
      const error = await disconnect(reader);
      // Read the flag again: the addon updates it in the disconnect callback.
      const stillConnected = isConnected(reader);
      logger.warn('stale PC/SC connection before connecting', { reader: name, reset: !stillConnected });
      if (stillConnected) {
        throw serviceError('card.io', { reader: name, reason: 'stale-connection' }, error);
      }
    }
    return new Promise<CardConnection>((resolve, reject) => {
      const protocols = reader.SCARD_PROTOCOL_T0 | reader.SCARD_PROTOCOL_T1;
      reader.connect({ share_mode: reader.SCARD_SHARE_SHARED, protocol: protocols }, (error, protocol) => {
        if (error) {
          reject(translate(error, name));
          return;
        }
        if (typeof protocol !== 'number') {
          reject(serviceError('card.io', { reader: name, reason: 'no-protocol' }));
          return;
        }
        resolve(connection(reader, protocol));
      });
    });
  };

  const translate = (error: unknown, name: string) => translatePcscError(error, name, platform);

  const connection = (reader: AddonReader, protocol: number): CardConnection => ({
    protocol: protocol === reader.SCARD_PROTOCOL_T1 ? 'T1' : 'T0',
    transport: {
      transmit: (command) =>
        new Promise<Uint8Array>((resolve, reject) => {
          reader.transmit(Buffer.from(command), MAX_RESPONSE, protocol, (error, response) => {
            if (error) {
              reject(translate(error, reader.name));
              return;
            }
            resolve(new Uint8Array(response));
          });
        }),
    },
    close: () =>
      // SCARD_LEAVE_CARD: other software may hold the card's PIN state. A failure leaves `connected` set, which the
      // next `connect` detects and resets.
      disconnect(reader).then((error) => {
        if (error) {
          logger.warn('disconnect failed', {
            reader: reader.name,
            error: error instanceof Error ? error.message : 'unknown',
          });
        }
      }),
  });

  const stop = async (): Promise<void> => {
    stopping = true;
    // The addon's close() cancels the status thread's SCardGetStatusChange and then joins it synchronously. A cancel
    // that lands while that thread is between two calls (just after a status change) is lost and the join blocks
    // the event loop for good. So close only once the readers have been quiet for a while (bounded wait).
    const deadline = Date.now() + 3000;
    while (Date.now() - lastActivity < QUIET_MS && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    for (const reader of readers.values()) {
      reader.close();
    }
    readers.clear();
    context?.close();
    context = undefined;
  };

  return { kind: 'pcsc', start, connect, stop };
}
