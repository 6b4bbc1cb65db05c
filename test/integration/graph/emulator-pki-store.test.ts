import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulators } from '../../helpers/emulators/index';
import { startEmulators } from '../../helpers/emulators/index';
import { graphErrorOf, rawGraph } from '../../helpers/emulators/raw-graph';

const certsDir = process.env.PSC_CERTS_DIR ?? '/work/shared/certs/cpx';
const pkiAdmin = 'auth.admin@clinique-demo.fr';
const reader = 'lecteur@clinique-demo.fr';
const write = ['PublicKeyInfrastructure.ReadWrite.All'];
const store = '/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations';

/** The public TEST root and intermediate (never copied into the repository). */
const testCa = (file: string) => {
  const pem = readFileSync(`${certsDir}/igc-sante-test/${file}`, 'utf8');
  const base64 = pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '');
  const thumbprint = createHash('sha1').update(Buffer.from(base64, 'base64')).digest('hex').toUpperCase();
  return { base64, thumbprint };
};

type Pki = { id: string; displayName: string; status: string | null; certificateAuthorities?: { id: string }[] };
type Ca = { id: string; certificateRevocationListUrl: string | null; isIssuerHintEnabled: boolean; thumbprint: string };

describe('Graph emulator PKI trust store writes', () => {
  let emu: Emulators;
  let call: ReturnType<typeof rawGraph>;

  beforeAll(async () => {
    emu = await startEmulators();
    call = rawGraph(emu, pkiAdmin, write);
  });
  afterAll(async () => {
    await emu.close();
  });

  it('creates a container, adds a CA, edits and deletes it, and refuses the same certificate twice', async () => {
    const created = await call('POST', store, { displayName: 'IGC-Santé TEST' });
    expect(created.status).toBe(201);
    const pki = created.body as Pki;
    expect(pki).toMatchObject({ displayName: 'IGC-Santé TEST' });
    expect(pki.certificateAuthorities).toBeUndefined();
    expect(graphErrorOf(await call('POST', store, { displayName: 'IGC-Santé TEST' })).code).toBe('Request_BadRequest');

    const root = testCa('TEST_AC_RACINE_IGC-SANTE_ELEMENTAIRE.pem');
    const body = {
      certificate: root.base64,
      certificateAuthorityType: 'root',
      displayName: 'TEST AC RACINE IGC-SANTE ELEMENTAIRE',
      expirationDateTime: '2033-06-25T00:00:00Z',
      thumbprint: root.thumbprint,
      isIssuerHintEnabled: false,
    };
    const added = await call('POST', `${store}/${pki.id}/certificateAuthorities`, body);
    expect(added.status).toBe(201);
    const ca = added.body as Ca;
    expect(ca).toMatchObject({ thumbprint: root.thumbprint, certificateRevocationListUrl: null });

    // Same certificate in another container of the tenant: Graph's 400, in its error shape.
    const other = (await call('POST', store, { displayName: 'Autre PKI' })).body as Pki;
    const duplicate = await call('POST', `${store}/${other.id}/certificateAuthorities`, body);
    expect(duplicate.status).toBe(400);
    const error = graphErrorOf(duplicate);
    expect(error.message).toBe('Duplicate Certificate exists.');
    expect(error.innerError?.['request-id']).toMatch(/^[0-9a-f-]{36}$/);

    const patched = await call('PATCH', `${store}/${pki.id}/certificateAuthorities/${ca.id}`, {
      certificateRevocationListUrl: 'http://igc-sante.esante.gouv.fr/CRL/ACR-EL-TEST.crl',
      isIssuerHintEnabled: true,
    });
    expect(patched.status).toBe(204);
    const read = (await call('GET', `${store}/${pki.id}/certificateAuthorities/${ca.id}`)).body as Ca;
    expect(read).toMatchObject({
      certificateRevocationListUrl: 'http://igc-sante.esante.gouv.fr/CRL/ACR-EL-TEST.crl',
      isIssuerHintEnabled: true,
      thumbprint: root.thumbprint,
    });
    const readOnly = await call('PATCH', `${store}/${pki.id}/certificateAuthorities/${ca.id}`, {
      thumbprint: '00',
    });
    expect(graphErrorOf(readOnly).message).toBe("Property 'thumbprint' is read-only and cannot be set.");

    const expanded = await call('GET', `${store}/${pki.id}?$expand=certificateAuthorities`);
    expect((expanded.body as Pki).certificateAuthorities?.map((c) => c.id)).toEqual([ca.id]);

    expect((await call('DELETE', `${store}/${pki.id}/certificateAuthorities/${ca.id}`)).status).toBe(204);
    expect(graphErrorOf(await call('GET', `${store}/${pki.id}/certificateAuthorities/${ca.id}`)).code).toBe(
      'Request_ResourceNotFound',
    );
    // Once removed, the certificate may go into the other container.
    expect((await call('POST', `${store}/${other.id}/certificateAuthorities`, body)).status).toBe(201);
  });

  it("runs one upload at a time: running, a second upload refused, then the file's CAs appended", async () => {
    // A tenant whose store is still empty (the test above filled clinique-demo's), as its Global Administrator.
    const t = emu.graph.tenant('vide');
    t.limits.pkiUploadMs = 300;
    const call = rawGraph(emu, 'admin@vide.onmicrosoft.com', write);
    const pki = (await call('POST', store, { displayName: 'PKI chargée' })).body as Pki;
    const root = testCa('TEST_AC_RACINE_IGC-SANTE_ELEMENTAIRE.pem');
    const organisations = testCa('TEST_AC_IGC-SANTE_ELEMENTAIRE_ORGANISATIONS.pem');
    const url = 'https://pki.vide.example/igc-sante-test.p7b';
    const file = emu.graph.publishPkiFile(
      url,
      [root, organisations].map((c) => new Uint8Array(Buffer.from(c.base64, 'base64'))),
    );
    expect(createHash('sha256').update(file.p7b).digest('hex').toUpperCase()).toBe(file.sha256);
    const upload = { uploadUrl: url, sha256FileHash: file.sha256.toLowerCase() };
    const status = async () => (await call('GET', `${store}/${pki.id}`)).body as Pki & { statusDetails: string };

    expect((await call('POST', `${store}/${pki.id}/upload`, upload)).status).toBe(204);
    expect((await status()).status).toBe('running');
    const second = await call('POST', `${store}/${pki.id}/upload`, upload);
    expect(second.status).toBe(400);
    expect(graphErrorOf(second).message).toMatch(/upload is already in progress/);

    await expect.poll(async () => (await status()).status, { timeout: 5000, interval: 100 }).toBe('succeeded');
    const cas = (
      (await call('GET', `${store}/${pki.id}/certificateAuthorities`)).body as {
        value: (Ca & { certificateAuthorityType: string; issuerSubjectKeyIdentifier: string | null })[];
      }
    ).value;
    expect(cas.map((c) => [c.thumbprint, c.certificateAuthorityType, c.certificateRevocationListUrl])).toEqual([
      [root.thumbprint, 'root', null],
      [organisations.thumbprint, 'intermediate', null],
    ]);
    // The intermediate names its root by SKI (psc-checklist.md §2.3 #18 reference values).
    expect(cas[1]?.issuerSubjectKeyIdentifier).toBe('9CAD86BBA6AACAC5613A04B047FDDC3BCD3D57F4');

    // The same file again: nothing twice.
    expect((await call('POST', `${store}/${pki.id}/upload`, upload)).status).toBe(204);
    await expect
      .poll(async () => (await status()).statusDetails, { timeout: 5000, interval: 100 })
      .toMatch(/^0 certificate authorities uploaded, 2 already present/);
    // A URL Graph cannot download, or a file whose hash differs: the upload fails.
    for (const [body, details] of [
      [{ ...upload, uploadUrl: 'https://ailleurs.example/absent.p7b' }, /Unable to download/],
      [{ ...upload, sha256FileHash: 'b'.repeat(64) }, /does not match/],
    ] as const) {
      expect((await call('POST', `${store}/${pki.id}/upload`, body)).status).toBe(204);
      await expect.poll(async () => (await status()).status, { timeout: 5000, interval: 100 }).toBe('failed');
      expect((await status()).statusDetails).toMatch(details);
    }

    const badHash = await call('POST', `${store}/${pki.id}/upload`, { ...upload, sha256FileHash: 'xyz' });
    expect(graphErrorOf(badHash).code).toBe('Request_BadRequest');
  });

  it('enforces scope and role with Graph 403 shapes', async () => {
    const noScope = await rawGraph(
      emu,
      pkiAdmin,
      ['PublicKeyInfrastructure.Read.All'],
      'read-only-client',
    )('POST', store, {
      displayName: 'Sans droit',
    });
    expect(noScope.status).toBe(403);
    expect(graphErrorOf(noScope)).toMatchObject({
      code: 'Authorization_RequestDenied',
      message: 'Insufficient privileges to complete the operation.',
    });
    // Global Reader holds the scope in its token but not the role (checklist §2.8).
    const noRole = await rawGraph(emu, reader, write)('POST', store, { displayName: 'Sans rôle' });
    expect(noRole.status).toBe(403);
    expect(graphErrorOf(noRole).code).toBe('Authorization_RequestDenied');
  });

  it.each([
    ['/bogus', 'bogus'],
    [`${store}/x/bogus`, 'bogus'],
    ['/users/00000002-0001-4000-8000-000000000001/bogus', 'bogus'],
    ['/directory/nothingHere', 'nothingHere'],
    ['/policies/authenticationStrengthPolicies/x/bogus', 'bogus'],
  ])('names the segment that failed to match in the 400 for %s', async (path, segment) => {
    const reply = await call('GET', path);
    expect(reply.status).toBe(400);
    expect(graphErrorOf(reply)).toMatchObject({
      code: 'BadRequest',
      message: `Resource not found for the segment '${segment}'.`,
    });
  });
});
