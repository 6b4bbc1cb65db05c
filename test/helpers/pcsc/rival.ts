/**
 * Test helper: "another application" on the same reader, in its own PC/SC context (koffi → winscard), connected
 * SCARD_SHARE_SHARED. Used to prove the card service holds a PC/SC transaction while it reads.
 */
import type { ScardHandle } from '../../../electron/services/cards/winscard-ffi';
import { bindWinscard, defaultLoadKoffi, pcscFailure, SCARD } from '../../../electron/services/cards/winscard-ffi';

/** A second PC/SC client holding a shared connection to one reader. */
export type RivalClient = {
  /** SCardTransmit outside any transaction; pcsclite retries it while another handle holds a transaction. */
  transmit(apdu: Uint8Array): Promise<{ rv: number; response: Uint8Array }>;
  close(): Promise<void>;
};

/** Connects SHARED to `reader` from a fresh context. */
export async function openRival(reader: string): Promise<RivalClient> {
  const w = bindWinscard(defaultLoadKoffi());
  const { rv, context } = w.establishContext();
  if (rv !== SCARD.S_SUCCESS) {
    throw pcscFailure('SCardEstablishContext', rv);
  }
  const connected = await w.connect(context, reader, SCARD.SHARE_SHARED, SCARD.PROTOCOL_T0 | SCARD.PROTOCOL_T1);
  if (connected.rv !== SCARD.S_SUCCESS) {
    w.releaseContext(context);
    throw pcscFailure('SCardConnect', connected.rv);
  }
  const card: ScardHandle = connected.card;
  return {
    transmit: (apdu) => w.transmit(card, connected.protocol, apdu),
    close: async () => {
      await w.disconnect(card, SCARD.LEAVE_CARD);
      w.releaseContext(context);
    },
  };
}
