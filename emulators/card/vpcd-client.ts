/**
 * Plugs a virtual card into pcscd through the vsmartcard `vpcd` driver: the card side ("vicc") connects over TCP to
 * the driver (127.0.0.1:35963 for slot 0, +1 per slot). Framing: 2-byte big-endian length then payload. A 1-byte
 * payload is a control message (0x00 power off, 0x01 power on, 0x02 reset, 0x04 get ATR, which is answered with
 * the ATR); anything longer is a command APDU, answered with the response APDU. Connecting is inserting the card,
 * closing the socket is removing it.
 */
import net from 'node:net';
import type { Logger } from '../../shared/logging';
import { silentLogger } from '../../shared/logging';
import type { VirtualCard } from './card';
import { CardPulledError } from './card';

/** Default vpcd port (slot 0). */
export const VPCD_PORT = 35963;

const CTRL = { off: 0x00, on: 0x01, reset: 0x02, atr: 0x04 } as const;

/** Options of one vpcd slot. */
export type VpcdSlotOptions = {
  readonly host?: string;
  /** vpcd slot index: port = basePort + slot, reader name "Virtual PCD 00 0<slot>". */
  readonly slot?: number;
  readonly basePort?: number;
  readonly logger?: Logger;
  readonly connectTimeoutMs?: number;
};

/** The pcscd reader name vpcd creates for a slot (first vpcd reader in reader.conf). */
export const vpcdReaderName = (slot = 0): string => `Virtual PCD 00 ${String(slot).padStart(2, '0')}`;

/** Frames one message. */
function frame(payload: Uint8Array): Buffer {
  const out = Buffer.alloc(payload.length + 2);
  out.writeUInt16BE(payload.length, 0);
  out.set(payload, 2);
  return out;
}

/** One vpcd slot into which a virtual card can be inserted and from which it can be removed. */
export class VpcdSlot {
  private readonly host: string;
  private readonly port: number;
  private readonly logger: Logger;
  private readonly connectTimeoutMs: number;
  private socket: net.Socket | undefined;
  private card: VirtualCard | undefined;
  private unsubscribe: (() => void) | undefined;
  private buffer: Buffer = Buffer.alloc(0);
  private queue: Promise<void> = Promise.resolve();

  constructor(options: VpcdSlotOptions = {}) {
    this.host = options.host ?? '127.0.0.1';
    this.port = (options.basePort ?? VPCD_PORT) + (options.slot ?? 0);
    this.logger = options.logger ?? silentLogger;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5000;
  }

  /** The card currently in the slot. */
  get inserted(): VirtualCard | undefined {
    return this.card;
  }

  /** Inserts a card: connects to vpcd. Rejects when the driver is not listening (pcscd down or no vpcd). */
  async insert(card: VirtualCard): Promise<void> {
    if (this.socket) {
      await this.remove();
    }
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ host: this.host, port: this.port });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new Error(`vpcd did not accept the card on ${this.host}:${this.port}`));
      }, this.connectTimeoutMs);
      s.once('connect', () => {
        clearTimeout(timer);
        resolve(s);
      });
      s.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`vpcd not reachable on ${this.host}:${this.port}: ${error.message}`, { cause: error }));
      });
    });
    socket.setNoDelay(true);
    this.socket = socket;
    this.card = card;
    this.buffer = Buffer.alloc(0);
    this.unsubscribe = card.onPulled(() => {
      this.logger.info('virtual card pulled out', { port: this.port });
      socket.destroy();
    });
    socket.on('data', (chunk: Buffer) => {
      this.onData(socket, card, chunk);
    });
    socket.on('error', (error) => {
      this.logger.debug('vpcd socket error', { error: error.message });
    });
    socket.on('close', () => {
      if (this.socket === socket) {
        this.detach();
      }
    });
    this.logger.debug('virtual card inserted', { port: this.port, profile: card.profile });
  }

  /** Removes the card: closes the connection; pcscd sees the card gone at its next poll. */
  async remove(): Promise<void> {
    const socket = this.socket;
    if (!socket) {
      return;
    }
    this.detach();
    await new Promise<void>((resolve) => {
      socket.once('close', () => {
        resolve();
      });
      socket.destroy();
    });
  }

  private detach(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.socket = undefined;
    this.card = undefined;
  }

  private onData(socket: net.Socket, card: VirtualCard, chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    // Bounded by the buffer: each turn consumes one complete message.
    while (this.buffer.length >= 2) {
      const length = this.buffer.readUInt16BE(0);
      if (this.buffer.length < 2 + length) {
        return;
      }
      const message = new Uint8Array(this.buffer.subarray(2, 2 + length));
      this.buffer = this.buffer.subarray(2 + length);
      // Answers go out in arrival order even when the card is slow.
      this.queue = this.queue.then(() => this.handle(socket, card, message));
    }
  }

  private async handle(socket: net.Socket, card: VirtualCard, message: Uint8Array): Promise<void> {
    if (socket.destroyed) {
      return;
    }
    if (message.length === 1) {
      switch (message[0]) {
        case CTRL.off:
          card.powerOff();
          return;
        case CTRL.on:
          card.powerOn();
          return;
        case CTRL.reset:
          card.reset();
          return;
        case CTRL.atr:
          socket.write(frame(card.atr));
          return;
        default:
          this.logger.warn('unknown vpcd control byte', { byte: message[0] });
          return;
      }
    }
    try {
      const answer = await card.transmit(message);
      if (socket.writable) {
        socket.write(frame(answer));
      }
    } catch (error) {
      if (!(error instanceof CardPulledError)) {
        this.logger.error('virtual card failed', { error: String(error) });
      }
      socket.destroy();
    }
  }
}
