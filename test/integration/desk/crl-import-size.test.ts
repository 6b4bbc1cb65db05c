/**
 * A manually imported CRL may be larger than a CA file: the CRLs of the big IGC-Santé CAs pass 512 KB. Through the
 * contract dispatcher (input validated by the channel's schema) and the real trust store in a temporary folder, a CRL
 * of more than 512 KB with thousands of revoked serials is accepted and revokes the card it lists; a file over
 * `MAX_CRL_IMPORT_BYTES` is refused, and CA files keep their 512 KB bound.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wireCards } from '../../../electron/app/cards-wiring';
import { createEventBus } from '../../../electron/app/event-bus';
import { decodeBase64 } from '../../../electron/services/desk/trust-helpers';
import { createCrl, getSharedTestPki, issueCardCertificates } from '../../../emulators/card/certificates';
import type { TestPki } from '../../../emulators/card/certificates';
import { MAX_CRL_IMPORT_BYTES, MAX_TRUST_IMPORT_BYTES } from '../../../shared/contract/cards';
import { channels } from '../../../shared/contract/channels';
import { createDispatcher } from '../../../shared/contract/dispatcher';
import type { Handlers } from '../../../shared/contract/dispatcher';
import { maxWireMessageBytes } from '../../../shared/contract/wire';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
/** Distinct positive serials of 20 bytes (the longest allowed, so fewer entries pass 512 KB: generating is slow). */
const serials = (count: number) =>
  Array.from({ length: count }, (_, i) => `4a${(i + 1).toString(16).padStart(38, '0')}`);
const REVOKED = 10_200;

describe('manual CRL import beyond 512 KB', () => {
  let pki: TestPki;
  let dataDir: string;
  let cards: ReturnType<typeof wireCards>;
  let dispatch: ReturnType<typeof createDispatcher>;
  let card: { der: Uint8Array; serialHex: string };
  let bigCrl: Uint8Array;
  const bugs: unknown[] = [];

  beforeAll(async () => {
    pki = await getSharedTestPki();
    const { authentication } = await issueCardCertificates(pki);
    card = { der: authentication.der, serialHex: authentication.serialHex };
    bigCrl = await createCrl(pki, [...serials(REVOKED), card.serialHex]);
    dataDir = mkdtempSync(join(tmpdir(), 'psc-crl-size-'));
    cards = wireCards({ backend: 'in-process', isDemo: false, dataDir, bus: createEventBus(() => undefined) });
    // Only the trust channels are wired here; any other channel would be a bug of this test.
    dispatch = createDispatcher(cards.handlers as unknown as Handlers, (channel, error) =>
      bugs.push({ channel, error }),
    );
    const ca = await dispatch('trust:import-cas', {
      fileName: 'ca.cer',
      contentBase64: b64(new Uint8Array(pki.ca.rawData)),
      confirmUnknown: true,
    });
    expect(ca.ok).toBe(true);
  }, 120_000);
  afterAll(async () => {
    await cards.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a CRL over 512 KB is accepted and revokes the card it lists', async () => {
    expect(bigCrl.length).toBeGreaterThan(MAX_TRUST_IMPORT_BYTES);
    expect(bigCrl.length).toBeLessThanOrEqual(MAX_CRL_IMPORT_BYTES);
    expect((await cards.certificateStatus(card.der)).revocation).not.toBe('revoked');

    const result = await dispatch('trust:import-crl', { fileName: 'ac-fort.crl', contentBase64: b64(bigCrl) });

    expect(bugs).toEqual([]);
    expect(result.ok ? null : result.error).toBeNull();
    expect(result).toMatchObject({
      ok: true,
      value: { crls: [expect.objectContaining({ revokedCount: REVOKED + 1, isStale: false })] },
    });
    expect(await cards.certificateStatus(card.der)).toMatchObject({ revocation: 'revoked' });
  });

  it('the largest accepted import fits one browser-shell wire message', () => {
    const base64Chars = channels['trust:import-crl'].input.shape.contentBase64.maxLength ?? Infinity;
    expect(base64Chars).toBeGreaterThanOrEqual((MAX_CRL_IMPORT_BYTES / 3) * 4);
    // Base64 is never escaped by JSON.stringify: one byte per character, plus the envelope.
    expect(base64Chars + 1024).toBeLessThan(maxWireMessageBytes);
  });

  it('a CA file keeps its 512 KB bound', async () => {
    const result = await dispatch('trust:import-cas', {
      fileName: 'big.cer',
      contentBase64: b64(bigCrl),
      confirmUnknown: true,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'contract.invalid-input' } });
  });

  it('a file over MAX_CRL_IMPORT_BYTES is refused by the contract and by the service', async () => {
    const tooBig = b64(new Uint8Array(MAX_CRL_IMPORT_BYTES + 4096));
    const result = await dispatch('trust:import-crl', { fileName: 'huge.crl', contentBase64: tooBig });
    expect(result.ok ? null : result.error.code).toBe('contract.invalid-input');
    expect(() => decodeBase64('huge.crl', b64(new Uint8Array(MAX_CRL_IMPORT_BYTES + 1)), MAX_CRL_IMPORT_BYTES)).toThrow(
      expect.objectContaining({
        code: 'trust.file-too-large',
        details: { fileName: 'huge.crl', maxBytes: MAX_CRL_IMPORT_BYTES },
      }),
    );
    expect(decodeBase64('ok.crl', b64(new Uint8Array(MAX_CRL_IMPORT_BYTES)), MAX_CRL_IMPORT_BYTES)).toHaveLength(
      MAX_CRL_IMPORT_BYTES,
    );
  });
});
