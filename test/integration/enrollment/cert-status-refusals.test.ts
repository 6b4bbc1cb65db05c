/**
 * An expired, not-yet-valid or revoked card is never mapped: refused in the plan and in apply before any request,
 * re-checked when a queued step is replayed (the CRL may have been updated meanwhile), and refused per row in bulk.
 * Removal of such a card's mapping still works. The status comes from the card desk's own wiring: a real trust store
 * in a temporary folder, the TEST CA confirmed and CRLs imported as an agent does in Paramètres.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { wireBulk } from '../../../electron/app/bulk-wiring';
import { wireCards } from '../../../electron/app/cards-wiring';
import { createEventBus } from '../../../electron/app/event-bus';
import { previewBulk } from '../../../electron/services/enrollment/bulk-preview';
import type { SourceRow } from '../../../electron/services/enrollment/bulk-source';
import { createCrl, getSharedTestPki, issueCardCertificates } from '../../../emulators/card/certificates';
import type { TestPki } from '../../../emulators/card/certificates';
import type { BulkFinished } from '../../../shared/contract/bulk';
import type { QueueItemView } from '../../../shared/contract/enrollment';
import { AppError } from '../../../shared/errors';
import { agentFor, createDesk, idsOf, patchesTo, practitioner, staffId, useDeskSuite } from './harness';

const DAY = 86_400_000;
const julien = staffId(13); // Clémence Michel: cloud-only, no mapping yet
const chloe = staffId(2); // Chloé Dubois: cloud-only

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const cert = (der: Uint8Array) => ({ kind: 'certificate' as const, derBase64: b64(der) });
const errorOf = async (p: Promise<unknown>): Promise<AppError | string> => {
  try {
    await p;
    return 'resolved';
  } catch (error) {
    return error instanceof AppError ? error : String(error);
  }
};

type Card = { der: Uint8Array; serialHex: string; notBefore: Date; notAfter: Date };

/** A TEST card for Clémence Michel issued as if `issuedAt` were now (validity: 30 days before, then 3 years). */
async function card(pki: TestPki, cardNumber: string, issuedAt = new Date()): Promise<Card> {
  const { authentication } = await issueCardCertificates(
    pki,
    practitioner('Clémence', 'Michel', '10100000001', cardNumber),
    issuedAt,
  );
  const { notBefore, notAfter } = authentication.certificate;
  return { der: authentication.der, serialHex: authentication.serialHex, notBefore, notAfter };
}

describe('enrollment refuses expired, not-yet-valid and revoked cards', () => {
  const suite = useDeskSuite();
  let pki: TestPki;
  let valid: Card;
  let expired: Card;
  let notYetValid: Card;
  let cards: ReturnType<typeof wireCards>;
  let dataDir: string;
  const replayFailed: QueueItemView[] = [];

  /** Paramètres › Autorités et révocation: import a CRL of the TEST CA listing these serials. */
  const revoke = async (...serials: string[]) => {
    await cards.handlers['trust:import-crl']({ fileName: 'ca.crl', contentBase64: b64(await createCrl(pki, serials)) });
  };

  beforeAll(async () => {
    pki = await getSharedTestPki();
    valid = await card(pki, '2800000101');
    expired = await card(pki, '2800000102', new Date(Date.now() - 4 * 365 * DAY));
    notYetValid = await card(pki, '2800000103', new Date(Date.now() + 60 * DAY));
  }, 60_000);

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'psc-cert-status-'));
    cards = wireCards({
      backend: 'in-process',
      isDemo: false,
      dataDir,
      bus: createEventBus(() => undefined),
    });
    await cards.handlers['trust:import-cas']({
      fileName: 'ca.cer',
      contentBase64: b64(new Uint8Array(pki.ca.rawData)),
      confirmUnknown: true,
    });
    replayFailed.length = 0;
    suite.desk.close();
    suite.desk = createDesk(suite.graph, agentFor(suite.emu), {
      certificateStatus: (der) => cards.certificateStatus(der),
      onReplayFailed: (item) => replayFailed.push(item),
    });
  });
  afterEach(async () => {
    await cards.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each([
    ['expired', () => expired, 'enrollment.certificate-expired', (c: Card) => ({ notAfter: c.notAfter.toISOString() })],
    [
      'not yet valid',
      () => notYetValid,
      'enrollment.certificate-not-yet-valid',
      (c: Card) => ({ notBefore: c.notBefore.toISOString() }),
    ],
  ])(
    'a card %s is refused in the plan and in apply, with no PATCH and nothing queued',
    async (_l, pick, code, details) => {
      const c = pick();
      const plan = await suite.desk.service.plan({ source: cert(c.der), userId: julien });
      // The preview names the date: `errors.<code>-on` / `-from` carry {{day}}.
      expect(plan.refusal).toMatchObject({ code, details: details(c) });
      expect(plan.refusal?.messageKey).toMatch(new RegExp(`^errors\\.${code.replace('.', '\\.')}-(on|from)$`));
      expect(plan.requests).toEqual([]);
      const error = await errorOf(suite.desk.service.apply({ source: cert(c.der), userId: julien }));
      expect(error).toMatchObject({ code, messageKey: plan.refusal?.messageKey, details: details(c) });
      expect(patchesTo(suite.emu, julien)).toBe(0);
      expect(idsOf(suite.emu, julien)).toEqual([]);
      expect((await suite.desk.service.queue()).items).toEqual([]);
    },
  );

  it('a valid card with no CRL is written, with a warning that revocation was not checked', async () => {
    const plan = await suite.desk.service.plan({ source: cert(valid.der), userId: julien });
    expect(plan.refusal).toBeNull();
    expect(plan.explanations).toContainEqual(
      expect.objectContaining({ code: 'certificate.revocation-unknown', severity: 'warning' }),
    );
    const outcome = await suite.desk.service.apply({ source: cert(valid.der), userId: julien });
    expect(outcome.status).toBe('written');
    expect(idsOf(suite.emu, julien).length).toBeGreaterThan(0);
  });

  it('a valid card under a current CRL that does not list it gets no revocation warning', async () => {
    await revoke(expired.serialHex);
    const plan = await suite.desk.service.plan({ source: cert(valid.der), userId: julien });
    expect(plan.refusal).toBeNull();
    expect(plan.explanations.map((e) => e.code)).not.toContain('certificate.revocation-unknown');
  });

  it('a revoked card is refused in the plan and in apply, with no PATCH', async () => {
    await revoke(valid.serialHex);
    const plan = await suite.desk.service.plan({ source: cert(valid.der), userId: julien });
    expect(plan.refusal?.code).toBe('enrollment.certificate-revoked');
    expect(Date.parse(String(plan.refusal?.details?.revokedAt))).not.toBeNaN();
    const error = await errorOf(suite.desk.service.apply({ source: cert(valid.der), userId: julien }));
    expect(error).toMatchObject({ code: 'enrollment.certificate-revoked' });
    expect(patchesTo(suite.emu, julien)).toBe(0);
    expect(idsOf(suite.emu, julien)).toEqual([]);
  });

  it('the mapping of a card revoked after it was written can still be removed', async () => {
    await suite.desk.service.apply({ source: cert(valid.der), userId: julien });
    const written = idsOf(suite.emu, julien);
    expect(written.length).toBeGreaterThan(0);
    await revoke(valid.serialHex);
    const preview = await suite.desk.service.planRemoval({ source: cert(valid.der), userId: julien, reason: 'lost' });
    expect(preview.remove.length).toBe(written.length);
    const outcome = await suite.desk.service.remove({ source: cert(valid.der), userId: julien, reason: 'lost' });
    expect(outcome.status).toBe('removed');
    expect(idsOf(suite.emu, julien)).toEqual([]);
  });

  it('a queued write is refused for good on replay when the CRL lists the card meanwhile', async () => {
    await suite.emu.graph.setOffline(true);
    const queued = await suite.desk.service.apply({ source: cert(valid.der), userId: julien });
    expect(queued.status).toBe('queued');
    // The card is declared lost while the item waits: the CRL downloaded since lists it.
    await revoke(valid.serialHex);
    await suite.emu.graph.setOffline(false);
    const state = await suite.desk.service.replay();
    expect(state.items).toEqual([
      expect.objectContaining({ state: 'failed-permanent', lastError: 'enrollment.certificate-revoked' }),
    ]);
    expect(replayFailed).toEqual([expect.objectContaining({ lastError: 'enrollment.certificate-revoked' })]);
    expect(patchesTo(suite.emu, julien)).toBe(0);
    expect(idsOf(suite.emu, julien)).toEqual([]);
    const journal = await suite.desk.service.journal(20);
    expect(journal.entries.map((e) => e.kind)).toContain('replay-abandoned');
  });

  it('bulk: the preview marks expired and revoked rows and apply never writes them', async () => {
    await revoke(valid.serialHex);
    const fresh = await card(pki, '2800000104');
    const row = (line: number, userRef: string, der: Uint8Array): SourceRow => ({
      line,
      source: `ligne ${String(line)}`,
      user: userRef,
      userRef,
      der,
      isRenewal: false,
      error: null,
    });
    const rows = [row(2, julien, expired.der), row(3, julien, valid.der), row(4, chloe, fresh.der)];
    const session = {
      graph: suite.graph,
      agent: agentFor(suite.emu),
      journal: suite.desk.store.journal,
      configuredGroupId: null,
      certificateStatus: (der: Uint8Array) => cards.certificateStatus(der),
    };
    const preview = await previewBulk(session, rows, { identifierAttribute: 'employeeId' });
    expect(preview.map((p) => [p.row.status, p.row.error?.code ?? null, p.row.holder])).toEqual([
      ['bad-certificate', 'enrollment.certificate-expired', 'Clémence MICHEL'],
      ['bad-certificate', 'enrollment.certificate-revoked', 'Clémence MICHEL'],
      ['ok', null, 'Clémence MICHEL'],
    ]);
    const results = await suite.desk.service.applyBulk([
      { userId: julien, der: expired.der },
      { userId: julien, der: valid.der },
      { userId: chloe, der: fresh.der },
    ]);
    expect(results.map((r) => [r.status, r.error])).toEqual([
      ['failed', 'enrollment.certificate-expired'],
      ['failed', 'enrollment.certificate-revoked'],
      ['written', null],
    ]);
    expect(patchesTo(suite.emu, julien)).toBe(0);
    expect(idsOf(suite.emu, julien)).toEqual([]);
  });

  it('bulk job: a CSV row with a revoked card is skipped with its reason, the others are written', async () => {
    await revoke(valid.serialHex);
    const fresh = await card(pki, '2800000105');
    const upnOf = (id: string): string => {
      const upn = suite.emu.graph.tenant('clinique-demo').users.find((u) => u.id === id)?.userPrincipalName;
      return typeof upn === 'string' ? upn : id;
    };
    const pem = (der: Uint8Array) => `-----BEGIN CERTIFICATE-----\n${b64(der)}\n-----END CERTIFICATE-----`;
    const bus = createEventBus((event, error) => {
      throw new Error(`${event} off contract: ${String(error)}`);
    });
    const finished: BulkFinished[] = [];
    bus.subscribe((event, payload) => {
      if (event === 'bulk:finished') {
        finished.push(payload as BulkFinished);
      }
    });
    const { handlers } = wireBulk({
      bus,
      session: () =>
        Promise.resolve({
          graph: suite.graph,
          agent: agentFor(suite.emu),
          journal: suite.desk.store.journal,
          configuredGroupId: null,
          certificateStatus: (der: Uint8Array) => cards.certificateStatus(der),
        }),
      jobs: () => suite.desk.store.bulkJobs,
    });
    const csvText = [
      'user;certificate',
      `${upnOf(julien)};"${pem(valid.der)}"`,
      `${upnOf(chloe)};"${pem(fresh.der)}"`,
    ].join('\r\n');
    await handlers['bulk:apply']({ source: { kind: 'csv-text', csvText, fileName: 'lot.csv', baseDir: null } });
    for (let i = 0; i < 2000 && finished.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const results = finished[0]?.results ?? [];
    expect(results.map((r) => [r.status, r.error?.code ?? null])).toEqual([
      ['skipped', 'enrollment.certificate-revoked'],
      ['written', null],
    ]);
    expect(patchesTo(suite.emu, julien)).toBe(0);
    expect(idsOf(suite.emu, julien)).toEqual([]);
    expect(idsOf(suite.emu, chloe).length).toBeGreaterThan(0);
  });
});
