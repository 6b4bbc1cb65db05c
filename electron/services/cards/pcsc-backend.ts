/**
 * The `pcsc` backend: winscard through koffi FFI (transactions around every read) when koffi loads the PC/SC
 * library, otherwise the `@pokusew/pcsclite` addon (no transactions). Chosen once, at the first `start`, and logged.
 */
import type { Logger } from '../../../shared/logging';
import { createAddonPcscBackend } from './addon-backend';
import type { BackendListener, CardConnection, ReaderBackend } from './backend';
import { serviceError, unavailableError } from './errors';
import { createFfiPcscBackend } from './ffi-backend';
import { bindWinscard, defaultLoadKoffi } from './winscard-ffi';

/** Which implementation runs the `pcsc` backend. */
export type PcscImplementation = 'koffi' | '@pokusew/pcsclite';

/** Options of the PC/SC backend; the loaders are injected for tests and for the CommonJS bundle. */
export type PcscBackendOptions = {
  readonly logger: Logger;
  /** Loads `koffi` (default: `require('koffi')` next to this module). */
  readonly loadKoffi?: () => unknown;
  /** Loads `@pokusew/pcsclite` (the fallback). */
  readonly loadAddon?: () => unknown;
  readonly socketPath?: string;
  readonly platform?: NodeJS.Platform;
  /** `auto` (default): koffi, else the addon. The others force one implementation (tests, the raw benchmark). */
  readonly prefer?: 'auto' | 'koffi' | 'addon';
  /** Bound of one SCardGetStatusChange wait in the koffi backend. */
  readonly pollTimeoutMs?: number;
};

/** The PC/SC backend, plus which implementation it settled on (null before `start`). */
export type PcscBackend = ReaderBackend & { implementation(): PcscImplementation | null };

/** Creates the PC/SC backend. */
export function createPcscBackend(options: PcscBackendOptions): PcscBackend {
  const { logger } = options;
  const platform = options.platform ?? process.platform;
  const prefer = options.prefer ?? 'auto';
  let chosen: { backend: ReaderBackend; implementation: PcscImplementation } | undefined;

  const choose = () => {
    if (chosen) {
      return chosen;
    }
    let ffiError: unknown;
    if (prefer !== 'addon') {
      try {
        const winscard = bindWinscard((options.loadKoffi ?? defaultLoadKoffi)(), platform);
        chosen = {
          implementation: 'koffi',
          backend: createFfiPcscBackend({
            logger,
            winscard,
            platform,
            ...(options.socketPath === undefined ? {} : { socketPath: options.socketPath }),
            ...(options.pollTimeoutMs === undefined ? {} : { pollTimeoutMs: options.pollTimeoutMs }),
          }),
        };
        logger.info('PC/SC backend: koffi FFI', { library: winscard.library });
        return chosen;
      } catch (error) {
        ffiError = error;
        if (prefer === 'koffi') {
          throw unavailableError(error, platform);
        }
        logger.warn('koffi cannot load the PC/SC library; falling back to @pokusew/pcsclite (no transactions)', {
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    chosen = {
      implementation: '@pokusew/pcsclite',
      backend: createAddonPcscBackend({
        logger,
        platform,
        ...(options.loadAddon === undefined ? {} : { loadAddon: options.loadAddon }),
        ...(options.socketPath === undefined ? {} : { socketPath: options.socketPath }),
      }),
    };
    logger.info('PC/SC backend: @pokusew/pcsclite', {
      ...(ffiError === undefined ? {} : { koffiError: ffiError instanceof Error ? ffiError.message : 'unknown' }),
    });
    return chosen;
  };

  return {
    kind: 'pcsc',
    implementation: () => chosen?.implementation ?? null,
    start: (listener: BackendListener) => {
      try {
        return choose().backend.start(listener);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
    connect: (reader: string): Promise<CardConnection> =>
      chosen ? chosen.backend.connect(reader) : Promise.reject(serviceError('card.reader-unknown', { reader })),
    stop: () => (chosen ? chosen.backend.stop() : Promise.resolve()),
  };
}
