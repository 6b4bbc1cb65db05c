/**
 * The trust store through its real files: CA import checked against the shipped IGC-Santé fingerprints, CRL import
 * and download (from a local HTTP server, never the internet), and the card checks it feeds.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrl, createTestPki, issueCardCertificates } from '../../../emulators/card';
import type { TestPki } from '../../../emulators/card';
import { shippedKnownCas } from '../../../electron/services/desk/known-cas-data';
import { createTrustStoreService } from '../../../electron/services/desk/trust-store';
import type { TrustStoreDeps } from '../../../electron/services/desk/trust-store';
import { fingerprints } from '../../../shared/certificates';
import type { KnownCas } from '../../../shared/certificates';
import { buildCardReport } from '../../../shared/desk/card-report';
import { silentLogger } from '../../../shared/logging';
import { x509 } from '../../../shared/certificates/x509';

const CERTS = fileURLToPath(new URL('../../../../shared/certs/cpx/', import.meta.url));
const PROD = join(CERTS, 'igc-sante-prod');
const END_ENTITY = join(CERTS, 'test-end-entity', '2600301752-Auth.crt');

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const der = (cert: x509.X509Certificate) => new Uint8Array(cert.rawData);
const file = (fileName: string, bytes: Uint8Array) => ({ fileName, contentBase64: b64(bytes) });

let pki: TestPki;
let otherPki: TestPki;
let dirs: string[] = [];
let server: Server;
let baseUrl: string;
const served = new Map<string, { status: number; body?: Uint8Array; hang?: boolean }>();

async function freshStore(overrides: Partial<TrustStoreDeps> = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'trust-store-'));
  dirs.push(dataDir);
  return {
    dataDir,
    store: createTrustStoreService({ dataDir, knownCas: shippedKnownCas(), logger: silentLogger, ...overrides }),
  };
}

/** The shipped facts plus the generated TEST hierarchy, whose CRLs the local server publishes. */
async function knownWithGenerated(): Promise<KnownCas> {
  const shipped = shippedKnownCas();
  const entry = async (cert: x509.X509Certificate, name: string, path: string) => ({
    ...shipped.cas[0]!,
    name,
    subject: cert.subject,
    environment: 'test' as const,
    sha256: (await fingerprints(der(cert))).sha256,
    sha1: null,
    crlUrl: `${baseUrl}${path}`,
  });
  return {
    ...shipped,
    cas: [
      ...shipped.cas,
      await entry(pki.root, 'GENERATED ROOT', '/root.crl'),
      await entry(pki.ca, 'GENERATED CA', '/ca.crl'),
    ],
  };
}

beforeAll(async () => {
  [pki, otherPki] = await Promise.all([createTestPki(), createTestPki()]);
  server = createServer((req, res) => {
    const answer = served.get(req.url ?? '');
    if (answer?.hang === true) {
      return; // never answers: the client's timeout must end the wait
    }
    res.statusCode = answer?.status ?? 404;
    res.end(answer?.body === undefined ? 'not found' : Buffer.from(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  for (const dir of dirs) {
    await rm(dir, { recursive: true, force: true });
  }
  dirs = [];
});

describe('trust store: CA import', () => {
  it('accepts a known IGC-Santé root without confirmation and lists it as known', async () => {
    const { store } = await freshStore();
    const bytes = new Uint8Array(await readFile(join(PROD, 'ACR_FORT_20130625.cer')));
    const outcome = await store.importCas({ ...file('ACR_FORT.cer', bytes), confirmUnknown: false });
    expect(outcome.status).toBe('imported');
    const view = await store.view();
    expect(view.cas).toEqual([
      expect.objectContaining({
        sha256: shippedKnownCas().cas.find((c) => c.name === 'AC RACINE IGC-SANTE FORT')?.sha256,
        name: 'AC RACINE IGC-SANTE FORT',
        origin: 'known',
        knownName: 'AC RACINE IGC-SANTE FORT',
        environment: 'prod',
        crlUrl: 'http://igc-sante.esante.gouv.fr/CRL/ACR-FO.crl',
        crlUrlVerified: true,
        isSelfSigned: true,
      }),
    ]);
  });

  it('tells a CRL address read from a document or certificate from one inferred by analogy', async () => {
    const { store } = await freshStore();
    for (const name of ['AC_FORT_PERSONNES_20130625.cer', 'AC_FORT_ORGANISATIONS_20130625.cer']) {
      const bytes = new Uint8Array(await readFile(join(PROD, name)));
      expect((await store.importCas({ ...file(name, bytes), confirmUnknown: false })).status).toBe('imported');
    }
    const view = await store.view();
    const verifiedByName = Object.fromEntries(view.cas.map((ca) => [ca.name, ca.crlUrlVerified]));
    expect(verifiedByName).toEqual({ 'AC IGC-SANTE FORT PERSONNES': true, 'AC IGC-SANTE FORT ORGANISATIONS': false });
  });

  it('gives no verdict on the CRL address of a CA added by hand', async () => {
    const { store } = await freshStore();
    const pem = new TextEncoder().encode(pki.root.toString('pem'));
    await store.importCas({ ...file('root.pem', pem), confirmUnknown: true });
    expect((await store.view()).cas[0]).toMatchObject({ crlUrl: null });
    expect((await store.view()).cas[0]?.crlUrlVerified).toBeUndefined();
  });

  it('holds an unknown CA until the user confirms, then lists it as added manually (also after a restart)', async () => {
    const { dataDir, store } = await freshStore();
    const pem = new TextEncoder().encode(pki.root.toString('pem'));
    const first = await store.importCas({ ...file('root.pem', pem), confirmUnknown: false });
    expect(first).toEqual({
      status: 'needs-confirmation',
      candidates: [expect.objectContaining({ name: 'TEST AC RACINE IGC-SANTE FORT', knownName: null })],
    });
    expect((await store.view()).cas).toEqual([]);
    const second = await store.importCas({ ...file('root.pem', pem), confirmUnknown: true });
    expect(second.status).toBe('imported');
    const restarted = createTrustStoreService({ dataDir, knownCas: shippedKnownCas(), logger: silentLogger });
    expect((await restarted.view()).cas).toEqual([
      expect.objectContaining({ name: 'TEST AC RACINE IGC-SANTE FORT', origin: 'manual', knownName: null }),
    ]);
  });

  it('imports every CA of a .p7b, the known one as known and the rest after confirmation', async () => {
    const { store } = await freshStore();
    const prodCa = new x509.X509Certificate(await readFile(join(PROD, 'AC_FORT_PERSONNES_20130625.cer')));
    const p7b = new Uint8Array(new x509.X509Certificates([prodCa, pki.ca]).export('raw'));
    expect((await store.importCas({ ...file('bundle.p7b', p7b), confirmUnknown: false })).status).toBe(
      'needs-confirmation',
    );
    await store.importCas({ ...file('bundle.p7b', p7b), confirmUnknown: true });
    const origins = Object.fromEntries((await store.view()).cas.map((ca) => [ca.name, ca.origin]));
    expect(origins).toEqual({ 'AC IGC-SANTE FORT PERSONNES': 'known', 'TEST AC IGC-SANTE FORT PERSONNES': 'manual' });
  });

  it.each([
    ['an end-entity certificate', async () => new Uint8Array(await readFile(END_ENTITY)), 'trust.not-a-ca'],
    ['a text file', () => Promise.resolve(new TextEncoder().encode('hello')), 'trust.ca-file-unreadable'],
    [
      'random bytes',
      () => Promise.resolve(new Uint8Array([0x30, 0x82, 0xff, 0x00, 1, 2, 3])),
      'trust.ca-file-unreadable',
    ],
  ])('refuses %s with %s, naming the file', async (_label, bytes, code) => {
    const { store } = await freshStore();
    await expect(store.importCas({ ...file('x.cer', await bytes()), confirmUnknown: true })).rejects.toMatchObject({
      code,
      details: { fileName: 'x.cer' },
    });
    expect((await store.view()).cas).toEqual([]);
  });

  it('refuses content that is not base64', async () => {
    const { store } = await freshStore();
    await expect(
      store.importCas({ fileName: 'a.cer', contentBase64: '%%%not base64%%%', confirmUnknown: true }),
    ).rejects.toMatchObject({ code: 'trust.invalid-base64' });
  });

  it('does not trust an unknown CA dropped into trust/ by hand', async () => {
    const { dataDir, store } = await freshStore();
    await mkdir(join(dataDir, 'trust'), { recursive: true });
    await writeFile(join(dataDir, 'trust', 'dropped.cer'), der(pki.root));
    expect((await store.view()).cas).toEqual([expect.objectContaining({ origin: 'unapproved' })]);
    expect((await store.material()).trust).toBeNull();
  });

  it('removes a CA and its CRL', async () => {
    const { store } = await freshStore();
    await store.importCas({ ...file('ca.cer', der(pki.ca)), confirmUnknown: true });
    await store.importCrl(file('ca.crl', await createCrl(pki, [])));
    const [ca] = (await store.view()).cas;
    const after = await store.removeCa(ca!.sha256);
    expect(after).toEqual({ cas: [], crls: [] });
    await expect(store.removeCa(ca!.sha256)).rejects.toMatchObject({ code: 'trust.ca-not-found' });
  });
});

describe('trust store: CRLs and the card checks', () => {
  it('keeps a CRL signed by a trusted CA and lists its issuer and dates', async () => {
    const { store } = await freshStore();
    await store.importCas({ ...file('ca.cer', der(pki.ca)), confirmUnknown: true });
    const pem = new TextEncoder().encode(
      new x509.X509Crl(new Uint8Array(await createCrl(pki, ['0a0b']))).toString('pem'),
    );
    const view = await store.importCrl(file('ca.pem', pem));
    expect(view.crls).toEqual([
      expect.objectContaining({ issuerName: 'TEST AC IGC-SANTE FORT PERSONNES', isStale: false, revokedCount: 1 }),
    ]);
    expect(Date.parse(view.crls[0]!.nextUpdate!)).toBeGreaterThan(Date.parse(view.crls[0]!.thisUpdate));
  });

  it('refuses a CRL whose issuer is not trusted, and one whose signature does not verify', async () => {
    const { store } = await freshStore();
    await expect(store.importCrl(file('a.crl', await createCrl(pki, [])))).rejects.toMatchObject({
      code: 'trust.crl-issuer-untrusted',
      details: { fileName: 'a.crl' },
    });
    await store.importCas({ ...file('ca.cer', der(pki.ca)), confirmUnknown: true });
    // Same issuer name, another key: a forged or mixed-up CRL.
    await expect(store.importCrl(file('b.crl', await createCrl(otherPki, [])))).rejects.toMatchObject({
      code: 'trust.crl-signature-invalid',
    });
    await expect(store.importCrl(file('c.crl', new TextEncoder().encode('nope')))).rejects.toMatchObject({
      code: 'trust.crl-unreadable',
    });
    expect((await store.view()).crls).toEqual([]);
  });

  it.each([
    ['good', [] as string[], 0, 'good'],
    ['revoked', ['AUTH'], 0, 'revoked'],
    ['stale', [], 30, 'crl-expired'],
  ])('feeds the card report: %s CRL', async (_label, revoked, ageDays, expected) => {
    const { store } = await freshStore();
    const card = await issueCardCertificates(pki);
    await store.importCas({ ...file('root.cer', der(pki.root)), confirmUnknown: true });
    await store.importCas({ ...file('ca.cer', der(pki.ca)), confirmUnknown: true });
    const serials = revoked.map(() => card.authentication.serialHex);
    const crlDate = new Date(Date.now() - ageDays * 86_400_000);
    await store.importCrl(file('ca.crl', await createCrl(pki, serials, crlDate)));
    const report = await buildCardReport(
      {
        reader: 'R',
        generation: 'cps3',
        cardNumber: null,
        apdus: 0,
        durationMs: 0,
        authenticationDer: card.authentication.der,
      },
      await store.material(),
      new Date(),
    );
    expect(report.chain).toBe('valid');
    expect(report.revocation).toBe(expected);
    expect((await store.view()).crls[0]?.isStale).toBe(ageDays > 7);
  });

  it('says the chain is untrusted for a card of another hierarchy', async () => {
    const { store } = await freshStore();
    await store.importCas({ ...file('ca.cer', der(otherPki.root)), confirmUnknown: true });
    const card = await issueCardCertificates(pki);
    const report = await buildCardReport(
      {
        reader: 'R',
        generation: 'cps3',
        cardNumber: null,
        apdus: 0,
        durationMs: 0,
        authenticationDer: card.authentication.der,
      },
      await store.material(),
      new Date(),
    );
    expect(report.chain).not.toBe('valid');
  });
});

describe('trust store: "Mettre à jour les CRL"', () => {
  it('downloads each known CA’s CRL, keeps the good ones on disk and reports each failure', async () => {
    const knownCas = await knownWithGenerated();
    const { dataDir, store } = await freshStore({ knownCas, downloadTimeoutMs: 500 });
    await store.importCas({ ...file('root.cer', der(pki.root)), confirmUnknown: false });
    await store.importCas({ ...file('ca.cer', der(pki.ca)), confirmUnknown: false });
    await store.importCas({ ...file('manual.cer', der(otherPki.root)), confirmUnknown: true });
    served.set('/ca.crl', { status: 200, body: await createCrl(pki, []) });
    served.set('/root.crl', { status: 503 });
    const outcome = await store.updateCrls();
    const byUrl = (path: string) => outcome.results.find((r) => r.url === `${baseUrl}${path}`);
    expect(byUrl('/ca.crl')).toMatchObject({ ok: true, name: 'TEST AC IGC-SANTE FORT PERSONNES', error: null });
    expect(byUrl('/root.crl')).toMatchObject({
      ok: false,
      error: { code: 'trust.download-failed', details: { reason: 'http-503' } },
    });
    expect(outcome.results.filter((r) => r.error?.code === 'trust.no-crl-url')).toHaveLength(1);
    expect(outcome.store.crls).toEqual([expect.objectContaining({ issuerName: 'TEST AC IGC-SANTE FORT PERSONNES' })]);
    expect((await readdir(join(dataDir, 'crl'))).filter((n) => n.endsWith('.crl'))).toHaveLength(1);
  });

  it('refuses a downloaded CRL signed by another key, and ends a download that never answers', async () => {
    const knownCas = await knownWithGenerated();
    const { store } = await freshStore({ knownCas, downloadTimeoutMs: 300 });
    await store.importCas({ ...file('root.cer', der(pki.root)), confirmUnknown: false });
    await store.importCas({ ...file('ca.cer', der(pki.ca)), confirmUnknown: false });
    served.set('/ca.crl', { status: 200, body: await createCrl(otherPki, []) });
    served.set('/root.crl', { status: 200, hang: true });
    const outcome = await store.updateCrls();
    expect(outcome.results.map((r) => r.error?.code ?? 'ok').sort()).toEqual([
      'trust.crl-signature-invalid',
      'trust.download-failed',
    ]);
    expect(outcome.results.find((r) => r.error?.code === 'trust.download-failed')?.error?.details).toMatchObject({
      reason: 'timeout',
    });
    expect(outcome.store.crls).toEqual([]);
  });
});
