/**
 * The whole card stack: winscard through koffi FFI (or the @pokusew/pcsclite fallback) → pcscd → vpcd → virtual
 * CPx card, through the card service.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuiltCard, CardProfileName } from '../../../emulators/card';
import { VpcdSlot, buildCard, vpcdReaderName } from '../../../emulators/card';
import type { BackendListener, CardConnection, CardService, CardServiceEvent } from '../../../electron/services/cards';
import { createCardService, createPcscBackend } from '../../../electron/services/cards';
import { silentLogger } from '../../../shared/logging';
import { ensurePcscd, pcscdGate, type PcscdHandle } from '../../helpers/pcsc/pcscd';
import { nextEvent, nextReadOutcome } from '../../helpers/pcsc/events';
import { openRival } from '../../helpers/pcsc/rival';

let pcscd: PcscdHandle = await ensurePcscd();
// Skips only on a machine without the packages; under CI or with them installed, an unusable pcscd fails the suites.
const gate = pcscdGate(pcscd, 'cards integration');
const READER = vpcdReaderName(0);
const SECOND_READER = vpcdReaderName(1);
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

describe.skipIf(gate.skip)('card service over real pcscd and vpcd', () => {
  beforeAll(gate.check);
  let service: CardService;
  const slot = new VpcdSlot({ slot: 0 });
  const slot2 = new VpcdSlot({ slot: 1 });
  const cards: BuiltCard[] = [];
  const events: CardServiceEvent[] = [];

  const insert = async (target: VpcdSlot, built: BuiltCard) => {
    cards.push(built);
    await target.insert(built.card);
  };
  const removeAndWait = async (target: VpcdSlot, reader: string) => {
    const removed = nextEvent(service, (e) => e.type === 'card-removed' && e.reader === reader);
    await target.remove();
    await removed;
  };

  const backend = createPcscBackend({ logger: silentLogger });

  beforeAll(async () => {
    service = createCardService({ backend, logger: silentLogger });
    service.onEvent((event) => events.push(event));
    const readerSeen = nextEvent(service, (e) => e.type === 'reader-added' && e.reader === SECOND_READER);
    expect(await service.start()).toBe('ready');
    await readerSeen;
  });

  afterAll(async () => {
    await slot.remove();
    await slot2.remove();
    await service.stop();
  });

  it('runs on koffi FFI by default', () => {
    expect(backend.implementation()).toBe('koffi');
  });

  it('lists the vpcd readers', () => {
    const names = service.readers().map((reader) => reader.name);
    expect(names).toEqual(expect.arrayContaining([READER, SECOND_READER]));
  });

  it.each(['cps3', 'cps4', 'real-cpe', 'slow', 'revoked'] as const)(
    '%s: reads the authentication certificate',
    async (profile: CardProfileName) => {
      const built = await buildCard(profile);
      const outcome = nextReadOutcome(service, READER);
      await insert(slot, built);
      const event = await outcome;
      expect(event.type).toBe('read-succeeded');
      if (event.type === 'read-succeeded') {
        expect(event.result.authenticationCertificate?.derBase64).toBe(b64(built.authenticationDer!));
        expect(event.result.cardNumber).toBe(built.cardNumber);
        expect(event.result.generation).toBe(profile === 'cps4' ? 'cps4' : 'cps3');
      }
      await removeAndWait(slot, READER);
    },
  );

  it.each([
    ['signature-only', 'card.no-auth-certificate'],
    ['real-cps-signature', 'card.no-auth-certificate'],
    ['corrupt-certificate', 'card.corrupt-certificate'],
    ['cps3-contactless', 'card.contactless'],
    ['unknown', 'card.unknown'],
  ] as const)('%s: fails with %s', async (profile, code) => {
    const built = await buildCard(profile);
    const outcome = nextReadOutcome(service, READER);
    await insert(slot, built);
    const event = await outcome;
    expect(event.type === 'read-failed' ? event.error.code : event.type).toBe(code);
    if (profile === 'cps3-contactless') {
      // Refused from the ATR alone: not a single APDU reached the card.
      expect(built.card.audit().apdus).toBe(0);
    }
    await removeAndWait(slot, READER);
  });

  it('uses the learned path on the second CPS3 and needs fewer APDUs', async () => {
    const reads: number[] = [];
    for (let i = 0; i < 2; i += 1) {
      const built = await buildCard('cps3');
      const outcome = nextReadOutcome(service, READER);
      await insert(slot, built);
      const event = await outcome;
      expect(event.type).toBe('read-succeeded');
      if (event.type === 'read-succeeded') {
        expect(event.result.usedLearnedPath).toBe(true);
        reads.push(event.result.apdus);
      }
      await removeAndWait(slot, READER);
    }
    expect(new Set(reads).size).toBe(1);
  });

  it('card pulled mid-read: card.removed, then read again on reinsertion', async () => {
    const built = await buildCard('pulled-mid-read');
    const failed = nextReadOutcome(service, READER);
    await insert(slot, built);
    const first = await failed;
    expect(first.type === 'read-failed' ? [first.error.code, first.retryOnReinsert] : first.type).toEqual([
      'card.removed',
      true,
    ]);
    const retried = nextReadOutcome(service, READER);
    await insert(slot, built);
    const second = await retried;
    expect(second.type).toBe('read-succeeded');
    if (second.type === 'read-succeeded') {
      expect(second.result.authenticationCertificate?.derBase64).toBe(b64(built.authenticationDer!));
    }
    await removeAndWait(slot, READER);
  });

  it('reads two readers at once', async () => {
    const [a, b] = await Promise.all([buildCard('cps3'), buildCard('cps4')]);
    const outcomes = Promise.all([nextReadOutcome(service, READER), nextReadOutcome(service, SECOND_READER)]);
    await Promise.all([insert(slot, a), insert(slot2, b)]);
    const [first, second] = await outcomes;
    expect([first.type, second.type]).toEqual(['read-succeeded', 'read-succeeded']);
    await removeAndWait(slot, READER);
    await removeAndWait(slot2, SECOND_READER);
  });

  it('reports card insertion and removal events with the ATR classification', () => {
    const inserted = events.filter((e) => e.type === 'card-inserted');
    expect(inserted.map((e) => e.generation)).toEqual(
      expect.arrayContaining(['cps3', 'cps4', 'cps3-contactless', 'unknown']),
    );
    expect(events.filter((e) => e.type === 'card-removed').length).toBeGreaterThanOrEqual(inserted.length - 2);
  });

  it('never sent VERIFY, PIN commands or a reset to any card', () => {
    expect(cards.length).toBeGreaterThan(10);
    for (const built of cards) {
      const audit = built.card.audit();
      expect(audit.forbidden, built.card.profile).toEqual([]);
      expect(audit.verifyCommands + audit.pinCommands + audit.resets).toBe(0);
    }
  });
});

/** Waits (bounded) until the condition holds. */
async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('condition not reached in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe.skipIf(gate.skip)('one PC/SC transaction per read', () => {
  beforeAll(gate.check);
  const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();
  // SELECT of an application the card does not have: harmless alone, but it moves the current file if it lands
  // between the read's SELECT and READ BINARY commands.
  const rivalApdu = Uint8Array.of(0x00, 0xa4, 0x04, 0x00, 0x06, 0xf0, 0x52, 0x49, 0x56, 0x41, 0x4c);

  it.each(['cps3', 'cps4'] as const)(
    '%s: another application’s APDU waits until the read has ended',
    async (profile) => {
      const slot = new VpcdSlot({ slot: 0 });
      const service = createCardService({
        backend: createPcscBackend({ logger: silentLogger }),
        logger: silentLogger,
        autoRead: false,
      });
      const readerSeen = nextEvent(service, (e) => e.type === 'reader-added' && e.reader === READER);
      await service.start();
      await readerSeen;
      try {
        const built = await buildCard(profile, { delayMs: 30 });
        const inserted = nextEvent(service, (e) => e.type === 'card-inserted' && e.reader === READER);
        await slot.insert(built.card);
        await inserted;
        // The rival connects first (a shared connection), then sends its APDU in the middle of our read.
        const rival = await openRival(READER);
        try {
          const read = service.readCard(READER);
          await until(() => built.card.audit().apdus >= 3);
          const answer = await rival.transmit(rivalApdu);
          const summary = await read;
          expect(answer.rv).toBe(0);
          expect(summary.authenticationCertificate?.derBase64).toBe(b64(built.authenticationDer!));
          const commands = built.card.audit().commands;
          // Every APDU of the read went first: the rival's came once the transaction had ended.
          expect(commands.indexOf(hex(rivalApdu))).toBe(commands.length - 1);
          expect(commands.length).toBe(summary.apdus + 1);
        } finally {
          await rival.close();
        }
      } finally {
        await slot.remove();
        await service.stop();
      }
    },
  );
});

describe.skipIf(gate.skip)('a PC/SC connection left open', () => {
  beforeAll(gate.check);

  it('is released before the next connect on the same reader (koffi backend)', async () => {
    const slot = new VpcdSlot({ slot: 0 });
    const backend = createPcscBackend({ logger: silentLogger, prefer: 'koffi' });
    let onInserted: () => void = () => undefined;
    const inserted = new Promise<void>((resolve) => {
      onInserted = resolve;
    });
    const listener: BackendListener = {
      readerAdded: () => undefined,
      readerRemoved: () => undefined,
      cardInserted: (reader) => {
        if (reader === READER) {
          onInserted();
        }
      },
      cardRemoved: () => undefined,
      failed: () => undefined,
    };
    await backend.start(listener);
    try {
      await slot.insert((await buildCard('cps3')).card);
      await inserted;
      const selectMf = Uint8Array.of(0x00, 0xa4, 0x00, 0x0c, 0x02, 0x3f, 0x00);
      // A read whose close never ran (or failed): its handle still holds the card's transaction. (Right after the
      // previous test's card left, vpcd may not answer yet: retry a bounded number of times until one APDU passes.)
      let stale: CardConnection | undefined;
      for (let attempt = 0; attempt < 30 && !stale; attempt += 1) {
        const candidate = await backend.connect(READER).catch(() => undefined);
        const answer = await candidate?.transport.transmit(selectMf).catch(() => undefined);
        if (candidate && answer) {
          stale = candidate;
        } else {
          await candidate?.close();
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      if (!stale) {
        throw new Error('the card never became usable');
      }
      const fresh = await backend.connect(READER);
      await expect(stale.transport.transmit(selectMf)).rejects.toMatchObject({ code: 'card.io' });
      expect((await fresh.transport.transmit(selectMf)).length).toBeGreaterThanOrEqual(2);
      await fresh.close();
    } finally {
      await slot.remove();
      await backend.stop();
    }
  });
});

describe.skipIf(gate.skip)('the @pokusew/pcsclite fallback', () => {
  beforeAll(gate.check);
  it('reads a CPS3 when the addon is forced (no transaction)', async () => {
    // The second slot: the previous test's card has just left slot 0, and a card put back there before pcscd has
    // seen it leave fails its first APDU.
    const slot = new VpcdSlot({ slot: 1 });
    const backend = createPcscBackend({ logger: silentLogger, prefer: 'addon' });
    const service = createCardService({ backend, logger: silentLogger });
    const readerSeen = nextEvent(service, (e) => e.type === 'reader-added' && e.reader === SECOND_READER);
    await service.start();
    await readerSeen;
    try {
      expect(backend.implementation()).toBe('@pokusew/pcsclite');
      const built = await buildCard('cps3');
      const outcome = nextReadOutcome(service, SECOND_READER);
      await slot.insert(built.card);
      const event = await outcome;
      expect(event.type === 'read-succeeded' ? event.result.authenticationCertificate?.derBase64 : event).toBe(
        b64(built.authenticationDer!),
      );
    } finally {
      await slot.remove();
      await service.stop();
    }
  });
});

describe.skipIf(gate.skip)('PC/SC availability states', () => {
  beforeAll(gate.check);
  it('pcsc-service-down when nothing listens on the pcscd socket', async () => {
    const service = createCardService({
      backend: createPcscBackend({ logger: silentLogger, socketPath: '/nonexistent/pcscd.comm' }),
      logger: silentLogger,
    });
    const state = nextEvent(service, (e) => e.type === 'state-changed');
    expect(await service.start()).toBe('pcsc-service-down');
    const event = await state;
    expect(event.error?.details).toMatchObject({ fix: 'sudo systemctl start pcscd', platform: 'linux' });
  });
});

// Needs a daemon this test started (it stops and restarts it): skipped when the system's pcscd was already running.
describe.skipIf(!pcscd.available || !pcscd.startedByUs)('pcscd going away and coming back', () => {
  it('reports pcsc-service-down, then reconnects by itself', { timeout: 120_000 }, async () => {
    const service = createCardService({
      backend: createPcscBackend({ logger: silentLogger }),
      logger: silentLogger,
      reconnectIntervalMs: 300,
    });
    expect(await service.start()).toBe('ready');
    // Generous bounds: how soon the addon notices a dead daemon depends on machine load, not on our code.
    const down = nextEvent(service, (e) => e.type === 'state-changed' && e.state === 'pcsc-service-down', 45_000);
    if (pcscd.available) {
      await pcscd.stop();
    }
    await down;
    const back = nextEvent(service, (e) => e.type === 'reader-added' && e.reader === READER, 45_000);
    pcscd = await ensurePcscd();
    await back;
    expect(service.state()).toBe('ready');
    await service.stop();
  });
});

afterAll(async () => {
  if (pcscd.available) {
    await pcscd.stop();
  }
});
