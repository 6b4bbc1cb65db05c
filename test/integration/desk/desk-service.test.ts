/**
 * The desk service over the real card service and the in-process reader: what the Guichet receives for each card,
 * once, and which error code a failure carries.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildCard } from '../../../emulators/card';
import { createCardService, createInProcessBackend } from '../../../electron/services/cards';
import { createDeskService } from '../../../electron/services/desk';
import type { DeskServiceDeps } from '../../../electron/services/desk';
import { shippedKnownCas } from '../../../electron/services/desk/known-cas-data';
import { createTrustStoreService } from '../../../electron/services/desk/trust-store';
import type { EventName } from '../../../shared/contract/events';
import { silentLogger } from '../../../shared/logging';

const READER = 'Lecteur desk';

type Emitted = { event: EventName; payload: unknown };

async function setup(trustMaterial: DeskServiceDeps['trustMaterial']) {
  const backend = createInProcessBackend([READER]);
  const cards = createCardService({ backend, logger: silentLogger, removalGraceMs: 100 });
  const emitted: Emitted[] = [];
  const waiters: { predicate: (e: Emitted) => boolean; resolve: (e: Emitted) => void }[] = [];
  const desk = createDeskService({
    cards,
    trustMaterial,
    logger: silentLogger,
    emit: (event, payload) => {
      const entry = { event, payload };
      emitted.push(entry);
      for (const waiter of waiters.splice(0)) {
        if (waiter.predicate(entry)) {
          waiter.resolve(entry);
        } else {
          waiters.push(waiter);
        }
      }
    },
  });
  expect(await cards.start()).toBe('ready');
  const next = (event: EventName) =>
    new Promise<Emitted>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`no ${event} event`));
      }, 15_000);
      waiters.push({
        predicate: (e) => e.event === event,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
    });
  return { backend, cards, desk, emitted, next };
}

const failures = (emitted: Emitted[]) => emitted.filter((e) => e.event === 'cards:read-failed').map((e) => e.payload);

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0)) {
    await step();
  }
});

describe('desk service', () => {
  it('reports a contactless CPS3 exactly once, with card.contactless', async () => {
    const { backend, cards, emitted, next } = await setup(() => Promise.resolve({ trust: null, crls: [] }));
    cleanup.push(() => cards.stop());
    const failed = next('cards:read-failed');
    backend.insert(READER, (await buildCard('cps3-contactless')).card);
    await failed;
    // A later card's full round trip proves every event of the contactless insertion has gone out.
    backend.remove(READER);
    const succeeded = next('cards:read-succeeded');
    backend.insert(READER, (await buildCard('cps3')).card);
    await succeeded;
    expect(failures(emitted)).toEqual([
      {
        reader: READER,
        error: { code: 'card.contactless', messageKey: 'errors.card.contactless', details: { reader: READER } },
        willRetryOnReinsert: false,
      },
    ]);
  });

  it('blames the trust store, not the card, when trust material cannot be loaded', async () => {
    const { backend, cards, next } = await setup(() => Promise.reject(new Error('EACCES: trust folder')));
    cleanup.push(() => cards.stop());
    const failed = next('cards:read-failed');
    backend.insert(READER, (await buildCard('cps3')).card);
    expect((await failed).payload).toMatchObject({ error: { code: 'trust.unavailable' } });
  });

  it('reads cards when the crl folder holds a subfolder and garbage', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'desk-crl-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    await mkdir(join(dataDir, 'crl', 'subfolder.crl'), { recursive: true });
    await mkdir(join(dataDir, 'trust', 'subfolder.cer'), { recursive: true });
    await writeFile(join(dataDir, 'crl', 'garbage.crl'), 'not a crl');
    await writeFile(join(dataDir, 'trust', 'garbage.cer'), 'not a certificate');
    const store = createTrustStoreService({ dataDir, knownCas: shippedKnownCas(), logger: silentLogger });
    const { backend, cards, next } = await setup(() => store.material());
    cleanup.push(() => cards.stop());
    const succeeded = next('cards:read-succeeded');
    backend.insert(READER, (await buildCard('cps3')).card);
    expect((await succeeded).payload).toMatchObject({ kind: 'cpx-auth', revocation: 'unknown-no-crl' });
  });
});
