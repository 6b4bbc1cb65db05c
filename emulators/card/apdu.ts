/**
 * Card-side parsing of short command APDUs (ISO 7816-3 cases 1–4) and status word constants.
 */

/** A parsed short command APDU. `le` is the expected length (256 for a 00 byte), undefined when absent. */
export type CommandApdu = {
  readonly cla: number;
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  readonly data: Uint8Array;
  readonly le: number | undefined;
  /** The raw Le byte, to tell an explicit 00 (256) from other values under T=0. */
  readonly leByte: number | undefined;
};

/** Status words the card answers. */
export const SW = {
  ok: 0x9000,
  endOfFile: 0x6282,
  wrongLength: 0x6700,
  channelNotSupported: 0x6881,
  incompatibleFileStructure: 0x6981,
  securityNotSatisfied: 0x6982,
  authBlocked: 0x6983,
  conditionsNotSatisfied: 0x6985,
  noCurrentEf: 0x6986,
  functionNotSupported: 0x6a81,
  fileNotFound: 0x6a82,
  incorrectP1P2: 0x6a86,
  lcInconsistent: 0x6a87,
  dataNotFound: 0x6a88,
  wrongP1P2: 0x6b00,
  insNotSupported: 0x6d00,
  claNotSupported: 0x6e00,
  verifyFailed: 0x63c3,
} as const;

/** Parses a short APDU; returns undefined for malformed or extended-length commands (the card answers 6700). */
export function parseCommand(bytes: Uint8Array): CommandApdu | undefined {
  if (bytes.length < 4) {
    return undefined;
  }
  const [cla = 0, ins = 0, p1 = 0, p2 = 0] = bytes;
  if (bytes.length === 4) {
    return { cla, ins, p1, p2, data: new Uint8Array(0), le: undefined, leByte: undefined };
  }
  const p3 = bytes[4] ?? 0;
  if (bytes.length === 5) {
    return { cla, ins, p1, p2, data: new Uint8Array(0), le: p3 === 0 ? 256 : p3, leByte: p3 };
  }
  if (p3 === 0) {
    // Extended length: CPx cards take short APDUs only.
    return undefined;
  }
  const data = bytes.slice(5, 5 + p3);
  if (bytes.length === 5 + p3) {
    return { cla, ins, p1, p2, data, le: undefined, leByte: undefined };
  }
  if (bytes.length === 6 + p3) {
    const leByte = bytes[5 + p3] ?? 0;
    return { cla, ins, p1, p2, data, le: leByte === 0 ? 256 : leByte, leByte };
  }
  return undefined;
}

/** Builds a response APDU: data followed by SW1 SW2. */
export function response(sw: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(data.length + 2);
  out.set(data, 0);
  out[data.length] = sw >> 8;
  out[data.length + 1] = sw & 0xff;
  return out;
}
