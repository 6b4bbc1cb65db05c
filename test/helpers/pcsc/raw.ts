/**
 * Test helper: the PC/SC addon used bare, without the card service: wait for a card in a reader, then replay a
 * fixed APDU sequence (SHARE_SHARED, LEAVE_CARD). Reference point for the service's overhead benchmark.
 */
import { createRequire } from 'node:module';

type RawReader = {
  name: string;
  SCARD_SHARE_SHARED: number;
  SCARD_PROTOCOL_T0: number;
  SCARD_PROTOCOL_T1: number;
  SCARD_STATE_PRESENT: number;
  SCARD_LEAVE_CARD: number;
  on(event: 'status', listener: (status: { state: number }) => void): unknown;
  on(event: 'error' | 'end', listener: () => void): unknown;
  connect(options: { share_mode: number; protocol: number }, cb: (error: unknown, protocol: number) => void): void;
  disconnect(disposition: number, cb: (error: unknown) => void): void;
  transmit(data: Buffer, resLen: number, protocol: number, cb: (error: unknown, response: Buffer) => void): void;
  close(): void;
};
type RawContext = { on(event: string, listener: (value: never) => void): unknown; close(): void };

/** A bare PC/SC session on one reader. */
export type RawPcsc = {
  /** Resolves once a card is present in the reader. */
  waitForCard(timeoutMs?: number): Promise<void>;
  /** connect → transmit every APDU → disconnect; returns the responses and when the last one arrived. */
  replay(apdus: readonly Uint8Array[]): Promise<{ responses: Uint8Array[]; lastResponseAt: number }>;
  close(): Promise<void>;
};

const toError = (error: unknown) => (error instanceof Error ? error : new Error('PC/SC call failed'));

/** Opens the addon and watches `readerName`. */
export function openRawPcsc(readerName: string): RawPcsc {
  const factory = createRequire(import.meta.url)('@pokusew/pcsclite') as () => RawContext;
  const context = factory();
  let reader: RawReader | undefined;
  let present = false;
  let lastActivity = Date.now();
  context.on('error', () => undefined);
  context.on('reader', (candidate: never) => {
    const r = candidate as RawReader;
    lastActivity = Date.now();
    if (r.name !== readerName) {
      r.close();
      return;
    }
    reader = r;
    r.on('error', () => undefined);
    r.on('status', (status) => {
      lastActivity = Date.now();
      present = (status.state & r.SCARD_STATE_PRESENT) !== 0;
    });
  });
  const call = <T>(fn: (cb: (error: unknown, value: T) => void) => void) =>
    new Promise<T>((resolve, reject) => {
      fn((error, value) => {
        if (error) {
          reject(toError(error));
        } else {
          resolve(value);
        }
      });
    });
  return {
    waitForCard: async (timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!(reader && present)) {
        if (Date.now() > deadline) {
          throw new Error(`no card in ${readerName}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    replay: async (apdus) => {
      const r = reader;
      if (!r) {
        throw new Error(`reader ${readerName} not found`);
      }
      const protocols = r.SCARD_PROTOCOL_T0 | r.SCARD_PROTOCOL_T1;
      const protocol = await call<number>((cb) => {
        r.connect({ share_mode: r.SCARD_SHARE_SHARED, protocol: protocols }, cb);
      });
      const responses: Uint8Array[] = [];
      for (const apdu of apdus) {
        const response = await call<Buffer>((cb) => {
          r.transmit(Buffer.from(apdu), 258, protocol, cb);
        });
        responses.push(new Uint8Array(response));
      }
      const lastResponseAt = performance.now();
      await call<undefined>((cb) => {
        r.disconnect(r.SCARD_LEAVE_CARD, (error) => {
          cb(error, undefined);
        });
      });
      return { responses, lastResponseAt };
    },
    close: async () => {
      // Same precaution as the service: close the addon only once status threads are quiet.
      const deadline = Date.now() + 3000;
      while (Date.now() - lastActivity < 500 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      reader?.close();
      context.close();
    },
  };
}
