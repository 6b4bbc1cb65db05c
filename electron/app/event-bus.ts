import { events } from '../../shared/contract/events';
import type { EventName, EventPayload } from '../../shared/contract/events';

/** What a host receives: an event name and a payload already checked against the contract. */
export type EventListener = (event: EventName, payload: unknown) => void;

/** Typed fan-out from services to hosts. */
export type EventBus = {
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  subscribe: (listener: EventListener) => () => void;
};

/**
 * Create the bus. Payloads are parsed with the event schema before they leave, so no service can push an
 * off-contract (or over-sharing) payload to the renderer.
 */
export function createEventBus(onInvalid: (event: string, error: unknown) => void): EventBus {
  const listeners = new Set<EventListener>();
  return {
    emit(event, payload) {
      const parsed = events[event].safeParse(payload);
      if (!parsed.success) {
        onInvalid(event, parsed.error);
        return;
      }
      for (const listener of listeners) {
        listener(event, parsed.data);
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
