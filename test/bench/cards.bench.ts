/**
 * Card benchmarks through the real stack (koffi FFI → pcscd → vpcd → virtual CPS3 whose authentication certificate
 * is padded to a real card's ~2.3 KB):
 * - card.read.medianMs: insert event → certificates ready, median of 30 learned-path reads;
 * - card.read.vsRaw: service read time (context, connect, transaction, APDUs) / the same APDU sequence replayed bare
 *   through the @pokusew/pcsclite addon (median ratio);
 * - card.read.apdus: APDUs of a learned-path CPS3 read of that 2.3 KB certificate;
 * - card.read.apdusDiscovery: APDUs of the first read (full PKCS#15 discovery).
 */
import { VpcdSlot, buildCard, vpcdReaderName } from '../../emulators/card';
import type { CardService, CardServiceEvent } from '../../electron/services/cards';
import { createCardService, createPcscBackend } from '../../electron/services/cards';
import { silentLogger } from '../../shared/logging';
import { hex } from '../../emulators/card/der';
import { nextEvent } from '../helpers/pcsc/events';
import { ensurePcscd } from '../helpers/pcsc/pcscd';
import { openRawPcsc } from '../helpers/pcsc/raw';

type Metric = { value: number; unit: string; target: number; pass: boolean };

const RUNS = 30;
const CERTIFICATE_BYTES = 2300;
const READER = vpcdReaderName(0);
const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
};
const round = (value: number) => Math.round(value * 100) / 100;

/** One insertion: timestamps of the insert event and of the read outcome. */
async function timedRead(service: CardService, slot: VpcdSlot, card: Awaited<ReturnType<typeof buildCard>>['card']) {
  let insertedAt = 0;
  const unsubscribe = service.onEvent((event) => {
    if (event.type === 'card-inserted' && event.reader === READER) {
      insertedAt = performance.now();
    }
  });
  const outcome = nextEvent(
    service,
    (e): e is Extract<CardServiceEvent, { type: 'read-succeeded' }> =>
      e.type === 'read-succeeded' && e.reader === READER,
  );
  await slot.insert(card);
  const event = await outcome;
  const readyAt = performance.now();
  unsubscribe();
  const removed = nextEvent(service, (e) => e.type === 'card-removed' && e.reader === READER);
  await slot.remove();
  await removed;
  return { totalMs: readyAt - insertedAt, readMs: event.result.durationMs, apdus: event.result.apdus };
}

/** Runs the card benchmarks. */
export async function run(): Promise<Record<string, Metric>> {
  const pcscd = await ensurePcscd();
  if (!pcscd.available) {
    throw new Error(`cards bench needs pcscd + vpcd: ${pcscd.reason}`);
  }
  const slot = new VpcdSlot({ slot: 0 });
  const service = createCardService({ backend: createPcscBackend({ logger: silentLogger }), logger: silentLogger });
  const readerSeen = nextEvent(service, (e) => e.type === 'reader-added' && e.reader === READER);
  await service.start();
  await readerSeen;
  // A real CPS3 authentication certificate is about 2.3 KB: the APDU target is stated for that size.
  const built = await buildCard('cps3', { authenticationBytes: CERTIFICATE_BYTES });
  try {
    const discovery = await timedRead(service, slot, built.card);
    const before = built.card.audit().commands.length;
    const learned = await timedRead(service, slot, built.card);
    const learnedCommands = built.card
      .audit()
      .commands.slice(before)
      .map((apdu) => hex(apdu));
    const totals: number[] = [];
    const reads: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const sample = await timedRead(service, slot, built.card);
      totals.push(sample.totalMs);
      reads.push(sample.readMs);
    }
    await service.stop();

    const raw = openRawPcsc(READER);
    const rawTimes: number[] = [];
    try {
      await slot.insert(built.card);
      await raw.waitForCard();
      for (let i = 0; i < RUNS; i += 1) {
        // Like the service's durationMs: connect → last response (disconnect excluded on both sides).
        const started = performance.now();
        const { lastResponseAt } = await raw.replay(learnedCommands);
        rawTimes.push(lastResponseAt - started);
      }
    } finally {
      await slot.remove();
      await raw.close();
    }
    const medianMs = median(totals);
    const ratio = median(reads) / median(rawTimes);
    return {
      'card.read.medianMs': { value: round(medianMs), unit: 'ms', target: 2000, pass: medianMs <= 2000 },
      'card.read.vsRaw': { value: round(ratio), unit: 'ratio', target: 1.2, pass: ratio <= 1.2 },
      'card.read.apdus': { value: learned.apdus, unit: 'APDUs', target: 14, pass: learned.apdus <= 14 },
      'card.read.apdusDiscovery': {
        value: discovery.apdus,
        unit: 'APDUs',
        target: 25,
        pass: discovery.apdus <= 25,
      },
    };
  } finally {
    await slot.remove();
    if (service.state() !== 'stopped') {
      await service.stop();
    }
    await pcscd.stop();
  }
}
