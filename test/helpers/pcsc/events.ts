/**
 * Test helper: wait for a card-service event matching a predicate (bounded by a timeout), instead of sleeping.
 */
import type { CardService, CardServiceEvent } from '../../../electron/services/cards';

/** Resolves with the first matching event emitted after the call. */
export function nextEvent<T extends CardServiceEvent>(
  service: CardService,
  predicate: (event: CardServiceEvent) => event is T,
  timeoutMs?: number,
): Promise<T>;
export function nextEvent(
  service: CardService,
  predicate: (event: CardServiceEvent) => boolean,
  timeoutMs?: number,
): Promise<CardServiceEvent>;
export function nextEvent(
  service: CardService,
  predicate: (event: CardServiceEvent) => boolean,
  timeoutMs = 15_000,
): Promise<CardServiceEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`no matching card event within ${timeoutMs} ms`));
    }, timeoutMs);
    const unsubscribe = service.onEvent((event) => {
      if (predicate(event)) {
        clearTimeout(timer);
        unsubscribe();
        resolve(event);
      }
    });
  });
}

/** The outcome of the next read on a reader. */
export function nextReadOutcome(service: CardService, reader: string, timeoutMs?: number) {
  return nextEvent(
    service,
    (event): event is Extract<CardServiceEvent, { type: 'read-succeeded' | 'read-failed' }> =>
      (event.type === 'read-succeeded' || event.type === 'read-failed') && event.reader === reader,
    timeoutMs,
  );
}
