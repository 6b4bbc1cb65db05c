/**
 * The PC/SC C API (winscard) bound through `koffi` FFI: libpcsclite on Linux, winscard.dll on Windows, the PCSC
 * framework on macOS. Only the calls the card backend needs, with the per-OS type sizes and struct layouts, and a
 * promise for every call that can block (run on a libuv worker thread by koffi's `.async`).
 *
 * Type sizes differ per OS: pcsclite on Linux declares DWORD `unsigned long` and LONG/SCARDCONTEXT/SCARDHANDLE
 * `long` (64-bit on x64); Windows uses 32-bit DWORD/LONG and pointer-sized handles (ULONG_PTR); macOS uses 32-bit
 * integers everywhere and packs SCARD_READERSTATE. ATR buffer: 33 bytes (pcsclite, macOS), 36 on Windows.
 */
import { createRequire } from 'node:module';

/** PC/SC constants (identical on the three platforms). */
export const SCARD = {
  SCOPE_SYSTEM: 2,
  SHARE_EXCLUSIVE: 1,
  SHARE_SHARED: 2,
  PROTOCOL_T0: 1,
  PROTOCOL_T1: 2,
  LEAVE_CARD: 0,
  STATE_UNAWARE: 0,
  STATE_CHANGED: 0x2,
  STATE_PRESENT: 0x20,
  S_SUCCESS: 0,
  E_CANCELLED: 0x80100002,
  E_INSUFFICIENT_BUFFER: 0x80100008,
  E_UNKNOWN_READER: 0x80100009,
  E_TIMEOUT: 0x8010000a,
  E_SHARING_VIOLATION: 0x8010000b,
  E_READER_UNAVAILABLE: 0x80100017,
  E_NO_READERS_AVAILABLE: 0x8010002e,
} as const;

/** pcsclite's (and Windows') pseudo reader that reports reader arrival and departure. */
export const PNP_READER = '\\\\?PnP?\\Notification';

/** A context or card handle: a number, or a BigInt when koffi maps a pointer-sized integer that way. */
export type ScardHandle = number | bigint;

/** One entry of SCardGetStatusChange's array. */
export type ReaderState = { reader: string; currentState: number; eventState: number; atr: Uint8Array };

/** The winscard calls, promise-based where they may block. Every call resolves with the raw return code. */
export type Winscard = {
  readonly library: string;
  establishContext(): { rv: number; context: ScardHandle };
  releaseContext(context: ScardHandle): number;
  cancel(context: ScardHandle): number;
  listReaders(context: ScardHandle): { rv: number; readers: string[] };
  getStatusChange(context: ScardHandle, timeoutMs: number, states: readonly ReaderState[]): Promise<number>;
  connect(
    context: ScardHandle,
    reader: string,
    shareMode: number,
    protocols: number,
  ): Promise<{ rv: number; card: ScardHandle; protocol: number }>;
  beginTransaction(card: ScardHandle): Promise<number>;
  endTransaction(card: ScardHandle, disposition: number): Promise<number>;
  transmit(card: ScardHandle, protocol: number, command: Uint8Array): Promise<{ rv: number; response: Uint8Array }>;
  disconnect(card: ScardHandle, disposition: number): Promise<number>;
};

/** The slice of koffi we use (typed here so the rest of the code never sees `any`). */
type KoffiFunction = ((...args: unknown[]) => unknown) & {
  async: (...args: unknown[]) => void;
};
type Koffi = {
  load(path: string): { func(prototype: string): KoffiFunction };
  struct(name: string, fields: Record<string, unknown>): unknown;
  pack(name: string, fields: Record<string, unknown>): unknown;
  array(type: string, length: number): unknown;
  sizeof(type: unknown): number;
};

/** Receive buffer for one response APDU: 256 data bytes + SW1 SW2. */
const MAX_RESPONSE = 258;

/** Where the PC/SC library lives on each platform. */
export function winscardLibraryPath(platform: NodeJS.Platform): string {
  switch (platform) {
    case 'win32':
      return 'winscard.dll';
    case 'darwin':
      return '/System/Library/Frameworks/PCSC.framework/PCSC';
    default:
      return 'libpcsclite.so.1';
  }
}

/** Loads koffi the way the module is running (ESM source, or the CommonJS bundle where `import.meta.url` is gone). */
export function defaultLoadKoffi(): unknown {
  return createRequire(moduleBase())('koffi');
}

/** A file from which `require` resolves packages: this module, the bundle, or the working directory. */
export function moduleBase(): string {
  if (typeof import.meta.url === 'string') {
    return import.meta.url;
  }
  return typeof __filename === 'string' ? __filename : `${process.cwd()}/package.json`;
}

const u32 = (value: unknown): number => Number(value) >>> 0;

/** Binds winscard through koffi; throws when koffi or the library cannot be loaded. */
export function bindWinscard(koffiModule: unknown, platform: NodeJS.Platform = process.platform): Winscard {
  const koffi = koffiModule as Koffi;
  if (typeof koffi.load !== 'function') {
    throw new Error('koffi did not export load()');
  }
  const library = winscardLibraryPath(platform);
  const lib = koffi.load(library);
  const windows = platform === 'win32';
  const mac = platform === 'darwin';
  // Integer types per platform (see the file comment).
  const DWORD = windows || mac ? 'uint32_t' : 'unsigned long';
  const LONG = windows || mac ? 'int32_t' : 'long';
  const HANDLE = windows ? 'uintptr_t' : mac ? 'int32_t' : 'long';
  const atrSize = windows ? 36 : 33;
  const suffix = windows ? 'A' : '';
  const call = windows ? '__stdcall ' : '';
  // Unique type names per binding: koffi registers named types globally.
  const tag = `${platform}_${String(Math.random()).slice(2, 8)}`;
  const stateFields = {
    szReader: 'const char *',
    pvUserData: 'void *',
    dwCurrentState: DWORD,
    dwEventState: DWORD,
    cbAtr: DWORD,
    rgbAtr: koffi.array('uint8_t', atrSize),
  };
  const stateType = `SCARD_READERSTATE_${tag}`;
  if (mac) {
    koffi.pack(stateType, stateFields);
  } else {
    koffi.struct(stateType, stateFields);
  }
  const ioType = `SCARD_IO_REQUEST_${tag}`;
  koffi.struct(ioType, { dwProtocol: DWORD, cbPciLength: DWORD });
  const ioSize = koffi.sizeof(ioType);

  const fn = (prototype: string) => lib.func(prototype.replace('%', call));
  const SCardEstablishContext = fn(
    `${LONG} %SCardEstablishContext(${DWORD} scope, void *r1, void *r2, _Out_ ${HANDLE} *context)`,
  );
  const SCardReleaseContext = fn(`${LONG} %SCardReleaseContext(${HANDLE} context)`);
  const SCardCancel = fn(`${LONG} %SCardCancel(${HANDLE} context)`);
  const SCardListReaders = fn(
    `${LONG} %SCardListReaders${suffix}(${HANDLE} context, const char *groups, _Out_ uint8_t *readers, _Inout_ ${DWORD} *length)`,
  );
  const SCardGetStatusChange = fn(
    `${LONG} %SCardGetStatusChange${suffix}(${HANDLE} context, ${DWORD} timeout, _Inout_ ${stateType} *states, ${DWORD} count)`,
  );
  const SCardConnect = fn(
    `${LONG} %SCardConnect${suffix}(${HANDLE} context, const char *reader, ${DWORD} share, ${DWORD} protocols, _Out_ ${HANDLE} *card, _Out_ ${DWORD} *protocol)`,
  );
  const SCardBeginTransaction = fn(`${LONG} %SCardBeginTransaction(${HANDLE} card)`);
  const SCardEndTransaction = fn(`${LONG} %SCardEndTransaction(${HANDLE} card, ${DWORD} disposition)`);
  const SCardDisconnect = fn(`${LONG} %SCardDisconnect(${HANDLE} card, ${DWORD} disposition)`);
  const SCardTransmit = fn(
    `${LONG} %SCardTransmit(${HANDLE} card, const ${ioType} *sendPci, const uint8_t *send, ${DWORD} sendLength, void *recvPci, _Out_ uint8_t *recv, _Inout_ ${DWORD} *recvLength)`,
  );

  const run = (f: KoffiFunction, ...args: unknown[]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      f.async(...args, (error: unknown, result: unknown) => {
        if (error) {
          reject(error instanceof Error ? error : new Error('koffi async call failed'));
        } else {
          resolve(result);
        }
      });
    });

  type RawState = {
    szReader: string;
    pvUserData: null;
    dwCurrentState: number;
    dwEventState: number;
    cbAtr: number;
    rgbAtr: number[] | Uint8Array;
  };

  return {
    library,
    establishContext: () => {
      const out: [ScardHandle] = [0];
      const rv = u32(SCardEstablishContext(SCARD.SCOPE_SYSTEM, null, null, out));
      return { rv, context: out[0] };
    },
    releaseContext: (context) => u32(SCardReleaseContext(context)),
    cancel: (context) => u32(SCardCancel(context)),
    listReaders: (context) => {
      const length: [number] = [0];
      let rv = u32(SCardListReaders(context, null, null, length));
      if (rv !== SCARD.S_SUCCESS) {
        return { rv, readers: [] };
      }
      // A reader may appear between the two calls: retry once with the new size (bounded).
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const buffer = Buffer.alloc(Math.max(1, length[0]));
        length[0] = buffer.length;
        rv = u32(SCardListReaders(context, null, buffer, length));
        if (rv === SCARD.S_SUCCESS) {
          // A multi-string: names separated by NUL, ended by an empty name.
          const readers = buffer
            .subarray(0, length[0])
            .toString('utf8')
            .split('\0')
            .filter((name) => name.length > 0);
          return { rv, readers };
        }
        if (rv !== SCARD.E_INSUFFICIENT_BUFFER) {
          break;
        }
        SCardListReaders(context, null, null, length);
      }
      return { rv, readers: [] };
    },
    getStatusChange: async (context, timeoutMs, states) => {
      const raw: RawState[] = states.map((state) => ({
        szReader: state.reader,
        pvUserData: null,
        dwCurrentState: state.currentState,
        dwEventState: 0,
        cbAtr: 0,
        rgbAtr: new Array<number>(atrSize).fill(0),
      }));
      const rv = u32(await run(SCardGetStatusChange, context, timeoutMs, raw, raw.length));
      raw.forEach((entry, index) => {
        const target = states[index];
        if (target) {
          target.eventState = u32(entry.dwEventState);
          const atr = Uint8Array.from(entry.rgbAtr);
          target.atr = atr.subarray(0, Math.min(u32(entry.cbAtr), atr.length));
        }
      });
      return rv;
    },
    connect: async (context, reader, shareMode, protocols) => {
      const card: [ScardHandle] = [0];
      const protocol: [number] = [0];
      const rv = u32(await run(SCardConnect, context, reader, shareMode, protocols, card, protocol));
      return { rv, card: card[0], protocol: u32(protocol[0]) };
    },
    beginTransaction: async (card) => u32(await run(SCardBeginTransaction, card)),
    endTransaction: async (card, disposition) => u32(await run(SCardEndTransaction, card, disposition)),
    disconnect: async (card, disposition) => u32(await run(SCardDisconnect, card, disposition)),
    transmit: async (card, protocol, command) => {
      const receive = Buffer.alloc(MAX_RESPONSE);
      const length: [number] = [receive.length];
      const pci = { dwProtocol: protocol, cbPciLength: ioSize };
      const rv = u32(await run(SCardTransmit, card, pci, Buffer.from(command), command.length, null, receive, length));
      return { rv, response: new Uint8Array(receive.subarray(0, Math.min(u32(length[0]), receive.length))) };
    },
  };
}

/** The message format `classifyPcscError` reads: `<call> failed (0x8010xxxx)`. */
export function pcscFailure(call: string, rv: number): Error {
  return new Error(`${call} failed (0x${rv.toString(16).padStart(8, '0')})`);
}
