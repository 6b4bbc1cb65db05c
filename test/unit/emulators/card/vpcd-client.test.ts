/**
 * The vpcd wire protocol, checked against a fake driver: 2-byte big-endian length + payload, 1-byte control
 * messages (00 off, 01 on, 02 reset, 04 ATR), anything else an APDU; connect = insert, close = remove.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { VpcdSlot, buildCard } from '../../../../emulators/card';
import { toHex } from '../../../../emulators/card/der';

type FakeDriver = {
  port: number;
  next(): Promise<Buffer>;
  send(payload: Uint8Array): void;
  closed: Promise<void>;
  stop(): Promise<void>;
};

/** A one-client TCP server speaking the vpcd framing, like ifd-vpcd.c does. */
async function fakeDriver(): Promise<FakeDriver> {
  let client: net.Socket | undefined;
  let buffer = Buffer.alloc(0);
  const waiting: ((message: Buffer) => void)[] = [];
  const queued: Buffer[] = [];
  let markClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    markClosed = resolve;
  });
  const server = net.createServer((socket) => {
    client = socket;
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 2 && buffer.length >= 2 + buffer.readUInt16BE(0)) {
        const message = buffer.subarray(2, 2 + buffer.readUInt16BE(0));
        buffer = buffer.subarray(2 + message.length);
        const waiter = waiting.shift();
        if (waiter) {
          waiter(message);
        } else {
          queued.push(message);
        }
      }
    });
    socket.on('close', () => {
      markClosed();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    port: address.port,
    next: () => {
      const message = queued.shift();
      return message ? Promise.resolve(message) : new Promise((resolve) => waiting.push(resolve));
    },
    send: (payload) => {
      const framed = Buffer.alloc(payload.length + 2);
      framed.writeUInt16BE(payload.length, 0);
      framed.set(payload, 2);
      client?.write(framed);
    },
    closed,
    stop: () =>
      new Promise<void>((resolve) => {
        client?.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}

describe('VpcdSlot', () => {
  let driver: FakeDriver | undefined;
  afterEach(async () => {
    await driver?.stop();
  });

  it('answers the ATR request, applies power/reset controls and answers APDUs in order', async () => {
    driver = await fakeDriver();
    const built = await buildCard('cps3');
    const slot = new VpcdSlot({ basePort: driver.port });
    await slot.insert(built.card);
    driver.send(Uint8Array.of(0x04));
    expect(toHex(await driver.next())).toBe(toHex(built.card.atr));
    driver.send(Uint8Array.of(0x01));
    driver.send(Uint8Array.from([0x00, 0xa4, 0x09, 0x0c, 0x04, 0x3f, 0x00, 0xd0, 0x03]));
    driver.send(Uint8Array.from([0x00, 0xb0, 0x00, 0x00, 0x0c]));
    expect(toHex(await driver.next())).toBe('9000');
    expect(toHex(await driver.next())).toBe(`5A0A8025000001${built.cardNumber ?? ''}9000`);
    driver.send(Uint8Array.of(0x02));
    driver.send(Uint8Array.of(0x04));
    await driver.next();
    expect(built.card.audit()).toMatchObject({ powerUps: 1, resets: 1, apdus: 2 });
    await slot.remove();
    await driver.closed;
    expect(slot.inserted).toBeUndefined();
  });

  it('drops the connection when the card pulls itself out mid-read', async () => {
    driver = await fakeDriver();
    const built = await buildCard('pulled-mid-read', { pullAfterApdus: 1 });
    const slot = new VpcdSlot({ basePort: driver.port });
    await slot.insert(built.card);
    driver.send(Uint8Array.from([0x00, 0xa4, 0x09, 0x0c, 0x02, 0x3f, 0x00]));
    expect(toHex(await driver.next())).toBe('9000');
    driver.send(Uint8Array.from([0x00, 0xa4, 0x09, 0x0c, 0x02, 0x3f, 0x00]));
    await driver.closed;
    expect(slot.inserted).toBeUndefined();
  });

  it('rejects insertion when no driver listens', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) =>
      probe.close(() => {
        resolve();
      }),
    );
    const slot = new VpcdSlot({ basePort: port });
    await expect(slot.insert((await buildCard('unknown')).card)).rejects.toThrow(/vpcd not reachable/);
  });
});
