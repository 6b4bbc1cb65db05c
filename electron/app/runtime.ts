import { dirname, join } from 'node:path';
import { createDispatcher } from '../../shared/contract/dispatcher';
import type { Dispatch, Handlers } from '../../shared/contract/dispatcher';
import type { AppMode } from '../../shared/contract/schemas';
import { createLogger } from '../services/logging';
import { createSettingsService } from '../services/settings';
import { createModePreference } from '../services/settings/mode-preference';
import { wireBulk } from './bulk-wiring';
import { wireCards } from './cards-wiring';
import type { CardBackendKind } from './cards-wiring';
import { wireEnrollment } from './enrollment-wiring';
import { createEventBus } from './event-bus';
import type { DemoCloud } from './demo-cloud';
import { wireIdentity } from './identity-wiring';
import type { IdentityHostHooks, LiveCloud } from './identity-wiring';
import type { EventListener } from './event-bus';
import { appVersion, productName } from './product';

/** Everything a host needs: one validated entry point, one event stream, one shutdown. */
export type AppRuntime = {
  readonly mode: AppMode;
  dispatch: Dispatch;
  subscribe(listener: EventListener): () => void;
  /** Another launch asked for `mode` (`--live` / `--demo`): the window is told, and offers the switch. */
  requestMode(mode: AppMode): void;
  close(): Promise<void>;
};

export type RuntimeOptions = {
  mode: AppMode;
  host: 'electron' | 'browser';
  dataDir: string;
  /** Which readers the desk uses; default: the virtual in-process reader in demo mode, PC/SC in live mode. */
  cardBackend?: CardBackendKind;
  /** How to load the PC/SC addon when `import.meta.url` is unavailable (the Electron host's CommonJS bundle). */
  loadPcscAddon?: () => unknown;
  /** How long a card read may take before « délai dépassé » (20 s unless a test shortens it). */
  cardReadTimeoutMs?: number;
  /** Demo mode: emulators started by the caller (tests that assert on the emulated tenant's state). */
  demoCloud?: Promise<DemoCloud>;
  /** Host-specific sign-in pieces (system browser, token-cache protection). */
  identity?: IdentityHostHooks;
  /** Live mode's sign-in and Graph endpoints; Microsoft's cloud unless a test injects the emulators. */
  liveCloud?: LiveCloud;
  /** Base data folder holding the per-machine preferred mode; default: the parent of `dataDir` (`<base>/<mode>`). */
  preferenceDir?: string;
  /**
   * `app:set-mode` saved another mode and replied: the host restarts into it (Electron: relaunch; browser shell: a
   * new runtime). Called after the reply is sent. Without it the user is told to restart the assistant.
   */
  onModeChange?: (mode: AppMode) => void | Promise<void>;
};

/**
 * Composition root shared by the Electron host and the browser shell: builds the services for the chosen mode and
 * binds them to the contract's channels.
 */
export function createAppRuntime(options: RuntimeOptions): AppRuntime {
  const logger = createLogger('app');
  const bus = createEventBus((event, error) => {
    logger.error('event payload off contract', { event, error: String(error) });
  });
  const settings = createSettingsService({
    filePath: join(options.dataDir, 'settings.json'),
    logger: createLogger('settings'),
  });
  const unsubscribeSettings = settings.onChanged((next) => {
    bus.emit('settings:changed', next);
  });

  const cards = wireCards({
    backend: options.cardBackend ?? (options.mode === 'demo' ? 'in-process' : 'pcsc'),
    isDemo: options.mode === 'demo',
    dataDir: options.dataDir,
    bus,
    loadPcscAddon: options.loadPcscAddon,
    readTimeoutMs: options.cardReadTimeoutMs,
  });

  const identity = wireIdentity({
    mode: options.mode,
    dataDir: options.dataDir,
    bus,
    settings,
    hooks: options.identity ?? {},
    demoCloud: options.demoCloud,
    liveCloud: options.liveCloud,
  });
  const modePreference = createModePreference({
    baseDir: options.preferenceDir ?? dirname(options.dataDir),
    logger: createLogger('settings'),
  });

  const enrollment = wireEnrollment({
    mode: options.mode,
    dataDir: options.dataDir,
    bus,
    settings,
    graphForActiveAccount: () => identity.graphForActiveAccount(),
    lastCertificate: (reader) => cards.lastCertificate(reader),
    certificateStatus: (der) => cards.certificateStatus(der),
  });
  const bulk = wireBulk({
    bus,
    session: enrollment.bulkSession,
    jobs: () => enrollment.store().bulkJobs,
    // Folder imports look practitioners up by the same attribute the desk searches.
    identifierAttribute: async () => (await settings.get()).identifierAttribute ?? null,
  });

  const handlers: Handlers = {
    ...cards.handlers,
    ...identity.handlers,
    ...enrollment.handlers,
    ...bulk.handlers,
    'app:get-info': () =>
      Promise.resolve({
        name: productName,
        version: appVersion,
        mode: options.mode,
        host: options.host,
        platform: process.platform,
      }),
    'app:set-mode': async ({ mode }) => {
      await modePreference.save(mode);
      if (mode === options.mode) {
        return { restartRequired: false, restarting: false };
      }
      const onModeChange = options.onModeChange;
      if (onModeChange !== undefined) {
        // After the reply: the window must learn the restart is coming before the host tears it down.
        setTimeout(() => {
          void Promise.resolve()
            .then(() => onModeChange(mode))
            .catch((error: unknown) => {
              logger.error('mode change failed', { mode, error: String(error) });
            });
        }, 0);
      }
      return { restartRequired: true, restarting: onModeChange !== undefined };
    },
    'settings:get': () => settings.get(),
    'settings:update': (patch) => settings.update(patch),
  };

  const dispatch = createDispatcher(handlers, (channel, error) => {
    logger.error('handler failed', { channel, error: error instanceof Error ? error.stack : String(error) });
  });

  return {
    mode: options.mode,
    dispatch,
    subscribe: (listener) => bus.subscribe(listener),
    requestMode(mode) {
      if (mode !== options.mode) {
        bus.emit('app:mode-requested', { mode });
      }
    },
    async close() {
      unsubscribeSettings();
      await Promise.all([cards.close(), identity.close(), enrollment.close()]);
    },
  };
}
