/**
 * Command APDU builders and status-word classification (ISO 7816-4, short APDUs only).
 *
 * CPS3 runs T=0: case-4 commands are sent without Le and the card answers `61xx`; the session layer
 * (`session.ts`) handles that. Builders here never add Le to a case-3 command.
 */

/** Largest READ BINARY chunk the CPS3 accepts under T=0 (domain.md §3). */
export const MAX_READ_CHUNK = 0xe7;

/** Largest offset expressible in READ BINARY P1-P2 without SFI addressing. */
export const MAX_READ_OFFSET = 0x7fff;

/** SELECT P2 value: no response data. */
export const P2_NO_RESPONSE = 0x0c;

/** SELECT P2 value: return the FCP template. */
export const P2_RETURN_FCP = 0x04;

/** Status words the reader reacts to. */
export const SW = {
  OK: 0x9000,
  END_OF_FILE: 0x6282,
  WRONG_LENGTH: 0x6700,
  CHANNEL_NOT_SUPPORTED: 0x6881,
  SECURITY_STATUS: 0x6982,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  FILE_NOT_FOUND: 0x6a82,
  INCORRECT_P1P2: 0x6a86,
  WRONG_PARAMETERS: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
} as const;

/** A parsed response APDU. */
export type ResponseApdu = { data: Uint8Array; sw: number };

/** Split a raw response into data and SW1-SW2; null when shorter than two bytes. */
export function parseResponse(raw: Uint8Array): ResponseApdu | null {
  if (raw.length < 2) {
    return null;
  }
  const sw = ((raw[raw.length - 2] ?? 0) << 8) | (raw[raw.length - 1] ?? 0);
  return { data: raw.slice(0, raw.length - 2), sw };
}

/** Four-hex-digit uppercase rendering of a status word, for error details. */
export function formatSw(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, '0');
}

/** Coarse meaning of a status word. */
export type SwClass =
  | 'ok'
  | 'more-data'
  | 'wrong-le'
  | 'end-of-file'
  | 'not-found'
  | 'security'
  | 'conditions'
  | 'wrong-parameters'
  | 'channel-unsupported'
  | 'wrong-length'
  | 'error';

/** Classify a status word into what the reader should do with it. */
export function classifySw(sw: number): SwClass {
  const sw1 = sw >> 8;
  if (sw === SW.OK) {
    return 'ok';
  }
  if (sw1 === 0x61) {
    return 'more-data';
  }
  if (sw1 === 0x6c) {
    return 'wrong-le';
  }
  switch (sw) {
    case SW.END_OF_FILE:
      return 'end-of-file';
    case SW.FILE_NOT_FOUND:
      return 'not-found';
    case SW.SECURITY_STATUS:
      return 'security';
    case SW.CONDITIONS_NOT_SATISFIED:
      return 'conditions';
    case SW.INCORRECT_P1P2:
    case SW.WRONG_PARAMETERS:
      return 'wrong-parameters';
    case SW.CHANNEL_NOT_SUPPORTED:
      return 'channel-unsupported';
    case SW.WRONG_LENGTH:
      return 'wrong-length';
    default:
      return 'error';
  }
}

function header(cla: number, ins: number, p1: number, p2: number): number[] {
  return [cla & 0xff, ins, p1 & 0xff, p2 & 0xff];
}

/** SELECT by full path from the MF (`P1=09`, path starting `3F00`); case 3, no Le (T=0 safe). */
export function buildSelectPath(path: Uint8Array, cla = 0x00, p2 = P2_NO_RESPONSE): Uint8Array {
  if (path.length < 2 || path.length > 16 || path.length % 2 !== 0) {
    throw new RangeError(`Invalid path length ${path.length}`);
  }
  return Uint8Array.from([...header(cla, 0xa4, 0x09, p2), path.length, ...path]);
}

/** SELECT by DF name (AID), `P1=04`; case 3, no Le. */
export function buildSelectAid(aid: Uint8Array, cla = 0x00, p2 = P2_NO_RESPONSE): Uint8Array {
  if (aid.length < 1 || aid.length > 16) {
    throw new RangeError(`Invalid AID length ${aid.length}`);
  }
  return Uint8Array.from([...header(cla, 0xa4, 0x04, p2), aid.length, ...aid]);
}

/** READ BINARY at `offset` (P1-P2, < 0x8000) for `le` bytes (1..256, 256 encoded as 00). */
export function buildReadBinary(offset: number, le: number, cla = 0x00): Uint8Array {
  if (!Number.isInteger(offset) || offset < 0 || offset > MAX_READ_OFFSET) {
    throw new RangeError(`Invalid READ BINARY offset ${offset}`);
  }
  if (!Number.isInteger(le) || le < 1 || le > 256) {
    throw new RangeError(`Invalid Le ${le}`);
  }
  return Uint8Array.from([...header(cla, 0xb0, offset >> 8, offset & 0xff), le & 0xff]);
}

/** GET RESPONSE for `le` bytes (answer to `61xx`; `xx=00` means 256). */
export function buildGetResponse(le: number, cla = 0x00): Uint8Array {
  return Uint8Array.from([...header(cla, 0xc0, 0x00, 0x00), le & 0xff]);
}

/** MANAGE CHANNEL open (card assigns the channel number, returned in one data byte). */
export function buildManageChannelOpen(): Uint8Array {
  return Uint8Array.from([0x00, 0x70, 0x00, 0x00, 0x01]);
}

/** MANAGE CHANNEL close of logical channel `channel` (sent on the basic channel). */
export function buildManageChannelClose(channel: number): Uint8Array {
  return Uint8Array.from([0x00, 0x70, 0x80, channel & 0xff]);
}

/** Same command with its Le replaced or added (answer to `6Cxx`). Assumes a short APDU. */
export function withLe(command: Uint8Array, le: number): Uint8Array {
  const lc = command.length > 5 ? (command[4] ?? 0) : 0;
  const bodyEnd = command.length > 5 ? 5 + lc : 4;
  return Uint8Array.from([...command.slice(0, bodyEnd), le & 0xff]);
}

/** CLA byte for basic logical channels 0..3 (ISO 7816-4 §5.4.1). */
export function claForChannel(channel: number): number {
  if (!Number.isInteger(channel) || channel < 0 || channel > 3) {
    throw new RangeError(`Unsupported logical channel ${channel}`);
  }
  return channel;
}

/** The INS byte of VERIFY: the reader must never send it (other software owns the PIN state). */
export const FORBIDDEN_INS: readonly number[] = [0x20, 0x24, 0x2c, 0x44];
