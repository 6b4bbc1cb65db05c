import type { AppMode } from '../../shared/contract/schemas';
import type { Logger } from '../../shared/logging';
import type { EventListener } from './event-bus';
import type { AppRuntime } from './runtime';

/**
 * A runtime a long-lived host can restart in another mode without restarting itself (the browser shell: same server,
 * same address and secret). `create` builds the runtime of a mode and must pass `onModeChange` to
 * `createAppRuntime`; `app:set-mode` then closes the current runtime and builds the next one. Calls made meanwhile
 * wait for the new runtime; subscriptions carry over.
 */
export function createSwitchableRuntime(options: {
  initialMode: AppMode;
  create: (mode: AppMode, onModeChange: (mode: AppMode) => Promise<void>) => AppRuntime;
  logger: Logger;
}): AppRuntime {
  const listeners = new Set<EventListener>();
  let current: AppRuntime;
  let detach: () => void = () => undefined;
  let switching: Promise<void> = Promise.resolve();

  const attach = (runtime: AppRuntime) => {
    current = runtime;
    detach = runtime.subscribe((event, payload) => {
      for (const listener of listeners) {
        listener(event, payload);
      }
    });
  };

  const onModeChange = (mode: AppMode): Promise<void> => {
    switching = switching.then(async () => {
      const previous = current;
      detach();
      await previous.close().catch((error: unknown) => {
        options.logger.warn('runtime close before mode change failed', { error: String(error) });
      });
      try {
        attach(options.create(mode, onModeChange));
      } catch (error) {
        // Never leave the host without services: come back in the mode that was running.
        options.logger.error('runtime in the new mode failed to start', { mode, error: String(error) });
        attach(options.create(previous.mode, onModeChange));
      }
    });
    return switching;
  };

  attach(options.create(options.initialMode, onModeChange));

  return {
    get mode() {
      return current.mode;
    },
    async dispatch(channel, payload) {
      await switching;
      return current.dispatch(channel, payload);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    requestMode(mode) {
      current.requestMode(mode);
    },
    async close() {
      await switching;
      detach();
      await current.close();
    },
  };
}
