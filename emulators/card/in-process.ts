/**
 * Demo-mode transport: the virtual card in the same process, no pcscd and no sockets. Same card object as over
 * vpcd, so the APDU rules (T=0 GET RESPONSE, CPS4 channel) are exercised identically.
 */
import type { ApduTransport } from '../../shared/cards/transport';
import type { VirtualCard } from './card';

/** Thrown when the in-process card was pulled out during an exchange. */
export class InProcessCardRemovedError extends Error {
  constructor(cause?: unknown) {
    super('virtual card removed', { cause });
    this.name = 'InProcessCardRemovedError';
  }
}

/** An ApduTransport straight into a virtual card; powers the card on first (as a reader does on connect). */
export function createInProcessTransport(card: VirtualCard): ApduTransport & { readonly atr: Uint8Array } {
  card.powerOn();
  return {
    atr: card.atr,
    async transmit(command: Uint8Array): Promise<Uint8Array> {
      try {
        return await card.transmit(command);
      } catch (error) {
        throw new InProcessCardRemovedError(error);
      }
    },
  };
}
