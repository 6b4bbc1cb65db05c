/**
 * A small in-test CPx card: ISO 7816-4 file system with T=0 procedures, logical channels and fault injection.
 *
 * Independent of emulators/card on purpose: the reader is checked against the standards, not against a sibling
 * implementation.
 */
import type { ApduTransport } from '../../../shared/cards/transport';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();
const sw = (value: number, data: Uint8Array | number[] = []): Uint8Array =>
  Uint8Array.from([...data, value >> 8, value & 0xff]);

export const PKI_AID = '8025000001FF0100';

export type FakeCardOptions = {
  /** Files by full path (uppercase hex from 3F00). */
  files: Record<string, Uint8Array>;
  /** Emulate T=0: `6Cxx` when Le exceeds what is left, case-4 answers through `61xx`. */
  t0?: boolean;
  /** CPS4 mode: the PKCS#15 files live behind the PKI applet on a logical channel. */
  cps4?: boolean;
  /** Answer MANAGE CHANNEL with `6881`. */
  noLogicalChannels?: boolean;
  /** After this many commands, the applet is deselected once (next command gets `6985`). */
  deselectAppletAfter?: number;
  /** Status word to return for any command whose INS matches, e.g. { ins: 0xB0, sw: 0x6982 }. */
  fail?: { ins: number; sw: number; path?: string };
};

/** The fake card, also a transport; records every command it received. */
export class FakeCard implements ApduTransport {
  readonly commands: Uint8Array[] = [];
  private current = new Map<number, string | null>();
  private appletSelected = false;
  private channelOpen = false;
  private pending: Uint8Array | null = null;

  constructor(private readonly options: FakeCardOptions) {}

  transmit(command: Uint8Array): Promise<Uint8Array> {
    this.commands.push(command);
    return Promise.resolve(this.answer(command));
  }

  /** Commands as uppercase hex strings, for assertions. */
  get log(): string[] {
    return this.commands.map(hex);
  }

  private answer(c: Uint8Array): Uint8Array {
    const [cla = 0, ins = 0, p1 = 0, p2 = 0] = c;
    const channel = cla & 0x03;
    if (ins === 0x20 || ins === 0x24 || ins === 0x2c) {
      throw new Error('VERIFY-family command sent to the card');
    }
    if (this.options.deselectAppletAfter !== undefined && this.commands.length === this.options.deselectAppletAfter) {
      this.appletSelected = false;
    }
    const fail = this.options.fail;
    if (fail?.ins === ins && (fail.path === undefined || fail.path === this.current.get(channel))) {
      return sw(fail.sw);
    }
    if (this.options.cps4 === true && channel !== 0 && !this.appletSelected && !(ins === 0xa4 && p1 === 0x04)) {
      return sw(0x6985);
    }
    switch (ins) {
      case 0x70:
        return this.manageChannel(p1, p2);
      case 0xa4:
        return this.select(c, channel);
      case 0xb0:
        return this.read(c, channel);
      case 0xc0: {
        const pending = this.pending;
        this.pending = null;
        return pending === null ? sw(0x6985) : sw(0x9000, [...pending]);
      }
      default:
        return sw(0x6d00);
    }
  }

  private manageChannel(p1: number, p2: number): Uint8Array {
    if (this.options.noLogicalChannels === true) {
      return sw(0x6881);
    }
    if (p1 === 0x80) {
      this.channelOpen = false;
      this.current.delete(p2);
      return sw(0x9000);
    }
    this.channelOpen = true;
    return sw(0x9000, [0x01]);
  }

  private select(c: Uint8Array, channel: number): Uint8Array {
    const [, , p1 = 0, p2 = 0, lc = 0] = c;
    const data = c.slice(5, 5 + lc);
    if (p2 === 0x00) {
      return sw(0x6a86);
    }
    if (p1 === 0x04) {
      if (this.options.cps4 === true && channel !== 0 && this.channelOpen && hex(data) === PKI_AID) {
        this.appletSelected = true;
        return sw(0x9000);
      }
      return sw(0x6a82);
    }
    if (p1 !== 0x09) {
      return sw(0x6a86);
    }
    const path = hex(data);
    // On a CPS4 the PKCS#15 files are only visible through the applet's channel; EF.SN.ICC stays on channel 0.
    const visible = this.options.cps4 !== true || channel !== 0 || path === '3F00D003';
    const file = visible ? this.options.files[path] : undefined;
    if (!path.startsWith('3F00') || file === undefined) {
      return sw(0x6a82);
    }
    this.current.set(channel, path);
    if (p2 === 0x04) {
      const fcp = Uint8Array.from([0x62, 0x04, 0x80, 0x02, file.length >> 8, file.length & 0xff]);
      if (this.options.t0 === true) {
        this.pending = fcp;
        return sw(0x6100 | fcp.length);
      }
      return sw(0x9000, [...fcp]);
    }
    return sw(0x9000);
  }

  private read(c: Uint8Array, channel: number): Uint8Array {
    const [, , p1 = 0, p2 = 0, rawLe = 0] = c;
    const path = this.current.get(channel);
    const file = path === null || path === undefined ? undefined : this.options.files[path];
    if (file === undefined) {
      return sw(0x6986);
    }
    const offset = (p1 << 8) | p2;
    const le = rawLe === 0 ? 256 : rawLe;
    if (offset > file.length) {
      return sw(0x6b00);
    }
    const left = file.length - offset;
    if (le > left) {
      if (this.options.t0 === true && left > 0) {
        return sw(0x6c00 | left);
      }
      return sw(0x6282, [...file.slice(offset)]);
    }
    return sw(0x9000, [...file.slice(offset, offset + le)]);
  }
}
