/**
 * The card service over the in-process backend (demo mode, no pcscd): same events, retries and errors as over
 * PC/SC, plus the states a missing PC/SC stack produces.
 */
import { describe, expect, it } from 'vitest';
import { buildCard } from '../../../emulators/card';
import type { CardServiceDeps, CardServiceEvent } from '../../../electron/services/cards';
import {
  createCardService,
  createInProcessBackend,
  createMemoryKeyValueStore,
  createPcscBackend,
} from '../../../electron/services/cards';
import { silentLogger } from '../../../shared/logging';
import { nextEvent, nextReadOutcome } from '../../helpers/pcsc/events';

const READER = 'Lecteur démo';

async function setup(overrides: Partial<CardServiceDeps> = {}) {
  const backend = createInProcessBackend([READER]);
  const service = createCardService({ backend, logger: silentLogger, removalGraceMs: 200, ...overrides });
  expect(await service.start()).toBe('ready');
  return { backend, service };
}

const failure = (event: CardServiceEvent) => (event.type === 'read-failed' ? event.error.code : event.type);

describe('card service, in-process backend', () => {
  it('reads a CPS3 on insertion and lists the reader with its card', async () => {
    const { backend, service } = await setup();
    const built = await buildCard('cps3');
    const outcome = nextReadOutcome(service, READER);
    backend.insert(READER, built.card);
    const event = await outcome;
    expect(event.type === 'read-succeeded' ? event.result.authenticationCertificate?.derBase64 : null).toBe(
      Buffer.from(built.authenticationDer!).toString('base64'),
    );
    const analysis = event.type === 'read-succeeded' ? event.result.authenticationCertificate?.analysis : null;
    expect(analysis).toMatchObject({
      kind: 'cpx-auth',
      upns: ['8.10101234567@carte-cps.fr'],
      holder: { givenName: 'Hélène', surname: 'LÉGER-DUPRÉ' },
      card: { testCard: true, cardNumber: built.cardNumber },
    });
    expect(analysis?.certificateUserIds.PrincipalName).toBe('X509:<PN>8.10101234567@carte-cps.fr');
    expect(analysis?.certificateUserIds.IssuerAndSerialNumber).toContain(
      Buffer.from(built.certificates!.authentication.serialHex, 'hex').reverse().toString('hex'),
    );
    expect(service.readers()).toEqual([
      {
        name: READER,
        card: {
          atr: Buffer.from(built.card.atr).toString('hex').toUpperCase(),
          generation: 'cps3',
          interface: 'contact',
        },
        reading: false,
      },
    ]);
    await service.stop();
  });

  it('pulled mid-read → card.removed, read again on reinsertion', async () => {
    const { backend, service } = await setup();
    const built = await buildCard('pulled-mid-read');
    const first = nextReadOutcome(service, READER);
    backend.insert(READER, built.card);
    expect(failure(await first)).toBe('card.removed');
    const second = nextReadOutcome(service, READER);
    backend.insert(READER, built.card);
    expect((await second).type).toBe('read-succeeded');
    await service.stop();
  });

  it('reader unplugged mid-read → card.reader-unplugged', async () => {
    const { backend, service } = await setup();
    const built = await buildCard('slow', { delayMs: 30 });
    const outcome = nextReadOutcome(service, READER);
    const started = nextEvent(service, (e) => e.type === 'read-started');
    backend.insert(READER, built.card);
    await started;
    backend.unplugReader(READER);
    expect(failure(await outcome)).toBe('card.reader-unplugged');
    await service.stop();
  });

  it('a read slower than the timeout → card.timeout', async () => {
    const { backend, service } = await setup({ readTimeoutMs: 100 });
    const built = await buildCard('slow', { delayMs: 40 });
    const outcome = nextReadOutcome(service, READER);
    backend.insert(READER, built.card);
    expect(failure(await outcome)).toBe('card.timeout');
    await service.stop();
  });

  it('a card that never answers → card.timeout, and stop() does not wait for it', async () => {
    const { backend, service } = await setup({ readTimeoutMs: 150, closeTimeoutMs: 50 });
    const built = await buildCard('cps3');
    let answered = 0;
    const silent = {
      atr: built.card.atr,
      powerOn: () => {
        built.card.powerOn();
      },
      // Answers the first two commands, then never again (a wedged card or reader).
      transmit: (command: Uint8Array) =>
        answered++ < 2 ? built.card.transmit(command) : new Promise<Uint8Array>(() => undefined),
    };
    const outcome = nextReadOutcome(service, READER);
    backend.insert(READER, silent);
    const event = await outcome;
    expect(failure(event)).toBe('card.timeout');
    expect(event.type === 'read-failed' ? event.error.details : null).toMatchObject({ reader: READER });
    expect(service.readers()[0]?.reading).toBe(false);
    await service.stop();
    expect(service.state()).toBe('stopped');
  });

  it.each([
    ['cps3-contactless', 'card.contactless'],
    ['unknown', 'card.unknown'],
    ['signature-only', 'card.no-auth-certificate'],
  ] as const)('%s → %s, no VERIFY and no reset', async (profile, code) => {
    const { backend, service } = await setup();
    const built = await buildCard(profile);
    const outcome = nextReadOutcome(service, READER);
    backend.insert(READER, built.card);
    expect(failure(await outcome)).toBe(code);
    expect(built.card.audit().forbidden).toEqual([]);
    await service.stop();
  });

  it('persists the learned path: a new service instance reads straight from it', async () => {
    const store = createMemoryKeyValueStore();
    const reads: boolean[] = [];
    for (let i = 0; i < 2; i += 1) {
      const { backend, service } = await setup({ store });
      const built = await buildCard('cps3');
      const outcome = nextReadOutcome(service, READER);
      backend.insert(READER, built.card);
      const event = await outcome;
      reads.push(event.type === 'read-succeeded' && event.result.usedLearnedPath);
      await service.stop();
    }
    expect(reads).toEqual([false, true]);
    expect(await store.get('cards.learned-path.cps3')).toMatchObject({ version: 1 });
  });

  it('rejects reads on unknown readers and empty readers with typed errors', async () => {
    const { service } = await setup({ autoRead: false });
    await expect(service.readCard('nope')).rejects.toMatchObject({ code: 'card.reader-unknown' });
    await expect(service.readCard(READER)).rejects.toMatchObject({ code: 'card.no-card' });
    await service.stop();
  });
});

describe('PC/SC missing', () => {
  it('pcsc-unavailable with the exact fix when neither koffi nor the addon can load', async () => {
    const service = createCardService({
      backend: createPcscBackend({
        logger: silentLogger,
        platform: 'linux',
        loadKoffi: () => {
          throw new Error("Cannot find module 'koffi'");
        },
        loadAddon: () => {
          throw new Error("Cannot find module '@pokusew/pcsclite'");
        },
      }),
      logger: silentLogger,
    });
    const changed = nextEvent(service, (e) => e.type === 'state-changed');
    expect(await service.start()).toBe('pcsc-unavailable');
    const event = await changed;
    expect(event.error).toMatchObject({
      code: 'pcsc.unavailable',
      messageKey: 'errors.pcsc.unavailable',
      details: { fix: 'sudo apt-get install pcscd libpcsclite1', platform: 'linux' },
    });
  });
});
