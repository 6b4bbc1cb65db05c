/**
 * The one thing card logic needs from a reader: send a command APDU, get the response APDU (data + SW1 SW2).
 *
 * Implemented by the PC/SC adapter (electron/services/cards) and by the in-process transport to the virtual card
 * (demo mode, tests). Keeping it this small lets every APDU rule live in pure, testable code.
 */
export type ApduTransport = {
  transmit(command: Uint8Array): Promise<Uint8Array>;
};
