/**
 * Demo backend: virtual readers and cards in the same process (no pcscd, no native addon). The host plugs readers
 * and inserts cards; the service sees the same events as over PC/SC.
 */
import type { BackendListener, CardConnection, ReaderBackend } from './backend';
import { serviceError } from './errors';

/** What the backend needs from a card (the emulator's VirtualCard fits). */
export type SimulatedCard = {
  readonly atr: Uint8Array;
  powerOn(): void;
  transmit(command: Uint8Array): Promise<Uint8Array>;
};

/** The in-process backend plus the controls a demo or a test drives. */
export type InProcessBackend = ReaderBackend & {
  plugReader(name: string): void;
  unplugReader(name: string): void;
  insert(reader: string, card: SimulatedCard): void;
  remove(reader: string): void;
};

/** Creates an in-process backend with the given readers already plugged. */
export function createInProcessBackend(
  initialReaders: readonly string[] = ['Lecteur virtuel (démo)'],
): InProcessBackend {
  const slots = new Map<string, SimulatedCard | undefined>(initialReaders.map((name) => [name, undefined]));
  let listener: BackendListener | undefined;

  const remove = (reader: string) => {
    if (slots.get(reader) === undefined) {
      return;
    }
    slots.set(reader, undefined);
    listener?.cardRemoved(reader);
  };

  return {
    kind: 'in-process',
    start: (next) => {
      listener = next;
      for (const [name, card] of slots) {
        next.readerAdded(name);
        if (card) {
          next.cardInserted(name, card.atr);
        }
      }
      return Promise.resolve();
    },
    connect: (reader): Promise<CardConnection> => {
      if (!slots.has(reader)) {
        return Promise.reject(serviceError('card.reader-unknown', { reader }));
      }
      const card = slots.get(reader);
      if (!card) {
        return Promise.reject(serviceError('card.no-card', { reader }));
      }
      card.powerOn();
      return Promise.resolve({
        protocol: 'T0',
        transport: {
          transmit: async (command) => {
            if (slots.get(reader) !== card) {
              throw serviceError('card.removed', { reader });
            }
            try {
              return await card.transmit(command);
            } catch (error) {
              // The emulator throws when its profile pulls the card out mid-read.
              remove(reader);
              throw serviceError('card.removed', { reader }, error);
            }
          },
        },
        close: () => Promise.resolve(),
      });
    },
    stop: () => {
      listener = undefined;
      return Promise.resolve();
    },
    plugReader: (name) => {
      if (!slots.has(name)) {
        slots.set(name, undefined);
        listener?.readerAdded(name);
      }
    },
    unplugReader: (name) => {
      if (slots.delete(name)) {
        listener?.readerRemoved(name);
      }
    },
    insert: (reader, card) => {
      if (!slots.has(reader)) {
        throw serviceError('card.reader-unknown', { reader });
      }
      remove(reader);
      slots.set(reader, card);
      listener?.cardInserted(reader, card.atr);
    },
    remove,
  };
}
