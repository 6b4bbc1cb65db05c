/**
 * In demo mode the card checks trust the demo TEST PKI (root, CA and the CA's CRL, merged in `cards-wiring.ts`), so
 * Paramètres must list it too: through the contract dispatcher, `trust:get-store` shows those CAs and that CRL tagged
 * `isDemo`, the same CA the Guichet's demo card chains to; a demo CA cannot be removed; outside demo mode nothing is
 * tagged.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wireCards } from '../../../electron/app/cards-wiring';
import { demoReaderName } from '../../../electron/app/demo-cards';
import { createEventBus } from '../../../electron/app/event-bus';
import { getSharedTestPki } from '../../../emulators/card/certificates';
import { channels } from '../../../shared/contract/channels';
import { createDispatcher } from '../../../shared/contract/dispatcher';
import type { Handlers } from '../../../shared/contract/dispatcher';

const sha256 = (der: ArrayBuffer) => createHash('sha256').update(Buffer.from(der)).digest('hex').toUpperCase();

function wire(isDemo: boolean) {
  const dataDir = mkdtempSync(join(tmpdir(), 'psc-demo-trust-'));
  const cards = wireCards({ backend: 'in-process', isDemo, dataDir, bus: createEventBus(() => undefined) });
  const bugs: unknown[] = [];
  // Only the card and trust channels are wired here; any other channel would be a bug of this test.
  const dispatch = createDispatcher(cards.handlers as unknown as Handlers, (channel, error) =>
    bugs.push({ channel, error }),
  );
  return {
    dispatch,
    bugs,
    async close() {
      await cards.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

describe('trust store listing in demo mode', () => {
  let demo: ReturnType<typeof wire>;
  let live: ReturnType<typeof wire>;
  let rootSha: string;
  let caSha: string;

  beforeAll(async () => {
    const pki = await getSharedTestPki();
    rootSha = sha256(pki.root.rawData);
    caSha = sha256(pki.ca.rawData);
    demo = wire(true);
    live = wire(false);
  }, 120_000);
  afterAll(async () => {
    await demo.close();
    await live.close();
  });

  it('lists the demo root, CA and CRL the card checks trust, tagged isDemo', async () => {
    const result = await demo.dispatch('trust:get-store', undefined);

    expect(result.ok).toBe(true);
    if (!result.ok) {
      return;
    }
    const view = channels['trust:get-store'].output.parse(result.value);
    const demoCas = view.cas.filter((ca) => ca.isDemo === true).map((ca) => ca.sha256);
    expect(demoCas).toEqual(expect.arrayContaining([rootSha, caSha]));
    const demoCrls = view.crls.filter((crl) => crl.isDemo === true);
    expect(demoCrls).toHaveLength(1);
    expect(demoCrls[0]?.isStale).toBe(false);
    expect(demo.bugs).toEqual([]);
  });

  it('lists the CA the Guichet’s demo card chains to (chain « valide »)', async () => {
    expect((await demo.dispatch('demo:insert-card', { profile: 'cps3' })).ok).toBe(true);
    const read = await demo.dispatch('cards:read', { reader: demoReaderName });
    const store = await demo.dispatch('trust:get-store', undefined);

    expect(read.ok && store.ok).toBe(true);
    if (!read.ok || !store.ok) {
      return;
    }
    const report = channels['cards:read'].output.parse(read.value);
    const listed = channels['trust:get-store'].output.parse(store.value).cas.filter((ca) => ca.isDemo === true);
    expect(report.chain).toBe('valid');
    expect(report.revocation).toBe('good');
    expect(listed.some((ca) => report.issuer.includes(`CN=${ca.name}`))).toBe(true);
  });

  it('refuses to remove a demo CA with trust.demo-ca', async () => {
    const result = await demo.dispatch('trust:remove-ca', { sha256: caSha });

    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('trust.demo-ca');
  });

  it('tags nothing outside demo mode', async () => {
    const result = await live.dispatch('trust:get-store', undefined);

    expect(result.ok).toBe(true);
    if (!result.ok) {
      return;
    }
    const view = channels['trust:get-store'].output.parse(result.value);
    expect(view.cas.some((ca) => ca.isDemo === true) || view.crls.some((crl) => crl.isDemo === true)).toBe(false);
  });
});
