import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { x509 } from '../../../shared/certificates/x509';
import { der, generatePki, type GeneratedPki } from '../../fixtures/certs/generate';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CERTS = fileURLToPath(new URL('../../../../shared/certs/cpx/', import.meta.url));
const BIN = join(ROOT, 'bin/psc-assistant.mjs');

type Result = {
  file: string;
  index: number;
  ok: boolean;
  certificateUserIds: Record<string, string | null>;
  classification: Record<string, unknown> | null;
  usableForMapping: boolean;
  reason: string | null;
  checks: { id: string; passed: boolean; explanation: string }[];
  warnings: string[];
  error?: { code: string; message: string };
};

const SEVEN_FORMS = [
  'PrincipalName',
  'RFC822Name',
  'IssuerAndSubject',
  'Subject',
  'SKI',
  'SHA1PublicKey',
  'IssuerAndSerialNumber',
];

/** A self-signed end-entity certificate with a SAN UPN and no EKU extension at all. */
async function noEkuCertificate(): Promise<x509.X509Certificate> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await globalThis.crypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  return x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '0a1b',
    name: 'CN=Sans EKU, O=Test',
    notBefore: new Date(Date.now() - 86_400_000),
    notAfter: new Date(Date.now() + 30 * 86_400_000),
    keys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.SubjectAlternativeNameExtension([{ type: 'upn', value: 'noeku@example.test' }]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
}

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('psc-assistant mappings', () => {
  let pki: GeneratedPki;
  let dir: string;
  beforeAll(async () => {
    pki = await generatePki();
    dir = mkdtempSync(join(tmpdir(), 'psc-cli-'));
    mkdirSync(join(dir, 'trust'));
    writeFileSync(join(dir, 'trust/root.cer'), der(pki.root));
    writeFileSync(join(dir, 'trust/ca.cer'), der(pki.intermediate));
    writeFileSync(join(dir, 'ca.crl'), der(pki.crl));
    writeFileSync(
      join(dir, 'bundle.p7b'),
      new Uint8Array(new x509.X509Certificates([pki.auth, pki.signature]).export('raw')),
    );
    writeFileSync(join(dir, 'garbage.cer'), 'not a certificate at all');
    writeFileSync(join(dir, 'no-eku.cer'), der(await noEkuCertificate()));
  }, 60_000);

  it('prints one JSON object per certificate, keeps going past unreadable files and exits 2', () => {
    const files = ['2600301752-Auth.crt', 'test-cps-fort-personnes-signature.der', 'test-gipcps-classe1-auth.der'].map(
      (f) => join(CERTS, 'test-end-entity', f),
    );
    const { code, stdout } = cli(
      'mappings',
      files[0]!,
      join(dir, 'missing.cer'),
      files[1]!,
      join(dir, 'garbage.cer'),
      files[2]!,
    );
    expect(code).toBe(2);
    const results = JSON.parse(stdout) as Result[];
    expect(results.map((r) => [r.ok, r.error?.code ?? r.classification?.kind])).toEqual([
      [true, 'cpx-auth'],
      [false, 'file.not-found'],
      [true, 'cpx-signature'],
      [false, 'certificate.unreadable'],
      [true, 'legacy'],
    ]);
    expect(results[0]!.certificateUserIds.PrincipalName).toBe('X509:<PN>30B0057881/CPET0002@carte-cps.fr');
    expect(results[0]!.classification).toMatchObject({
      testCard: true,
      cardType: 'CPE',
      identifierType: 'finess',
      upn: '30B0057881/CPET0002@carte-cps.fr',
      chain: 'unknown',
      chainAnchor: null,
      revoked: null,
      revocation: { status: 'unknown-no-crl', revokedAt: null, crlNextUpdate: null },
    });
    expect(results[0]!.usableForMapping).toBe(true);
    expect(results[0]!.reason).toBeNull();
    expect(results[0]!.checks.map((c) => [c.id, c.passed])).toEqual([
      ['client-auth-eku', true],
      ['upn-present', true],
    ]);
    // One shape for scripts: always the seven keys; whether to write them is usableForMapping / reason.
    for (const r of results) {
      expect(Object.keys(r.certificateUserIds).sort()).toEqual([...SEVEN_FORMS].sort());
    }
    expect(
      results.map((r) => [
        r.usableForMapping,
        r.reason,
        r.certificateUserIds.PrincipalName !== null,
        r.certificateUserIds.SKI !== null,
      ]),
    ).toEqual([
      [true, null, true, true],
      [false, null, false, false],
      [false, 'signature-certificate-never-map', false, true],
      [false, null, false, false],
      [false, 'legacy-issuer', true, true],
    ]);
    expect(results[0]!.classification).toMatchObject({
      identifier: '0B0057881/CPET0002',
      structureId: '0B0057881',
      staffNumber: 'CPET0002',
    });
    // A present UPN on a certificate that must not be mapped does not announce a possible binding.
    const legacyUpn = results[4]!.checks.find((c) => c.id === 'upn-present')!;
    expect(legacyUpn.passed).toBe(true);
    expect(legacyUpn.explanation).not.toContain('est possible');
    expect(legacyUpn.explanation).toContain('ne doit pas être associé');
    expect(results[2]!.warnings).toContain('signature-certificate-never-map');
    const signatureChecks = Object.fromEntries(results[2]!.checks.map((c) => [c.id, c]));
    expect(signatureChecks['upn-present']).toMatchObject({ passed: false });
    expect(signatureChecks['upn-present']!.explanation).toContain('la liaison PrincipalName est impossible');
    expect(signatureChecks['client-auth-eku']!.explanation).toMatch(/^(Présent|Absent) : /);
  });

  it('tells a chain anchored on a known IGC-Santé CA (SHA-256 of known-cas.json) from an unknown one', () => {
    const { code, stdout } = cli(
      'mappings',
      join(CERTS, 'igc-sante-prod/AC_FORT_PERSONNES_20130625.cer'),
      '--trust',
      join(CERTS, 'igc-sante-prod/ACR_FORT_20130625.cer'),
    );
    expect(code).toBe(0);
    const [ca] = JSON.parse(stdout) as Result[];
    expect(ca!.certificateUserIds.PrincipalName).toBeNull();
    expect(ca!.certificateUserIds.SKI).toMatch(/^X509:<SKI>[0-9A-F]{40}$/);
    expect(ca!.usableForMapping).toBe(false);
    expect(ca!.reason).toBe('ca-certificate');
    expect(ca!.classification).toMatchObject({
      chain: 'valid',
      chainAnchor: {
        knownIgcSante: true,
        knownName: 'AC RACINE IGC-SANTE FORT',
        sha256: '53D30A19570826BDE0C0762501F1F1C7A659F976C6C023123DF5239DF34A4EEA',
      },
      issuerKnownCa: 'AC RACINE IGC-SANTE FORT',
    });
  });

  it('verifies the chain against --trust and revocation against --crl, for every certificate of a .p7b', () => {
    const { code, stdout } = cli(
      'mappings',
      join(dir, 'bundle.p7b'),
      '--trust',
      join(dir, 'trust'),
      `--crl=${join(dir, 'ca.crl')}`,
    );
    expect(code).toBe(0);
    const results = JSON.parse(stdout) as Result[];
    expect(
      results.map((r) => [r.index, r.classification?.kind, r.classification?.chain, r.classification?.revoked]),
    ).toEqual([
      [0, 'cpx-auth', 'valid', false],
      [1, 'cpx-signature', 'valid', true],
    ]);
    expect(results.map((r) => (r.classification?.revocation as { status: string }).status)).toEqual([
      'good',
      'revoked',
    ]);
    expect(results[0]!.classification?.chainAnchor).toMatchObject({ knownIgcSante: false, knownName: null });
    expect(results[1]!.certificateUserIds.IssuerAndSerialNumber).toMatch(/^X509:<I>.+<SR>[0-9a-f]+$/);
    expect([results[1]!.usableForMapping, results[1]!.reason]).toEqual([false, 'signature-certificate-never-map']);
  });

  it('treats an end-entity certificate with no EKU extension as unrestricted, hence usable for sign-in', () => {
    const { code, stdout } = cli('mappings', join(dir, 'no-eku.cer'));
    expect(code).toBe(0);
    const [r] = JSON.parse(stdout) as Result[];
    expect([r!.classification?.role, r!.usableForMapping, r!.reason]).toEqual(['authentication', true, null]);
    expect(r!.certificateUserIds.PrincipalName).toBe('X509:<PN>noeku@example.test');
    const eku = r!.checks.find((c) => c.id === 'client-auth-eku')!;
    expect(eku.passed).toBe(true);
    expect(eku.explanation).toContain('Aucune restriction d’usage');
    expect(r!.warnings).not.toContain('not-an-authentication-certificate');
  });

  it('renders a French table', () => {
    const { code, stdout } = cli('mappings', join(CERTS, 'test-end-entity/2600301752-Auth.crt'), '--format', 'table');
    expect(code).toBe(0);
    expect(stdout).toContain("Certificat d'authentification CPx — carte de TEST — CPE");
    expect(stdout).toContain('SKI (recommandé)');
    expect(stdout).toContain('X509:<SKI>3F0F9C73269D3B91CB041B38E994B4D304C5A897');
    expect(stdout).toContain('Identifiant   : FINESS de la structure 0B0057881, n° de personnel CPET0002');
  });

  it('marks a CRL address only inferred from the naming scheme as unverified (JSON and table)', () => {
    // The generated intermediate is issued by « TEST AC RACINE IGC-SANTE FORT », whose CRL address is inferred.
    const json = cli('mappings', join(dir, 'trust/ca.cer'));
    expect(json.code).toBe(0);
    const [ca] = JSON.parse(json.stdout) as Result[];
    expect(ca!.classification).toMatchObject({
      issuerKnownCa: 'TEST AC RACINE IGC-SANTE FORT',
      issuerCrl: {
        url: 'http://igc-sante.esante.gouv.fr/CRL/ACR-FO-TEST.crl',
        source: 'inferred',
        verified: false,
      },
    });
    const table = cli('mappings', join(dir, 'trust/ca.cer'), '--format', 'table');
    expect(table.stdout).toContain(
      'LCR de l’AC   : http://igc-sante.esante.gouv.fr/CRL/ACR-FO-TEST.crl — non vérifiée (adresse déduite',
    );
    // A documented address is shown without the caveat.
    const cpe = cli('mappings', join(CERTS, 'test-end-entity/2600301752-Auth.crt'), '--format', 'table');
    expect(cpe.stdout).toMatch(/LCR de l’AC {3}: http:\/\/igc-sante\.esante\.gouv\.fr\/CRL\/ACI-ST-PP-TEST\.crl\n/);
  });

  it('does not offer the values of a certificate that must not be mapped, and words its warnings', () => {
    const { code, stdout } = cli(
      'mappings',
      join(CERTS, 'test-end-entity/test-gipcps-classe1-auth.der'),
      join(CERTS, 'test-end-entity/test-cps-fort-personnes-signature.der'),
      '--format',
      'table',
    );
    expect(code).toBe(0);
    expect(stdout).not.toMatch(/Contrôle\s+: OK\s+— .*est possible/);
    expect(stdout).not.toContain('X509:<SKI>');
    expect(stdout).toContain('certificateUserIds : à ne pas écrire. Ancienne IGC GIP-CPS, fermée');
    expect(stdout).toContain('certificateUserIds : à ne pas écrire. Certificat de signature');
    expect(stdout).toContain('émis par l’ancienne IGC GIP-CPS (fermée)');
    // Codes stay in the JSON; the table speaks French.
    expect(stdout).not.toMatch(/Avertissements : .*(legacy-issuer|subject-|signature-certificate-never-map)/);
  });

  it.each([[['mappings', '--help']], [['mappings', 'x.cer', '-h']], [['--help']], [['-h']], [[]]])(
    'prints the usage on stdout and exits 0 on %j',
    (args) => {
      const { code, stdout, stderr } = cli(...args);
      expect(code).toBe(0);
      expect(stdout).toContain('Usage : psc-assistant mappings');
      expect(stderr).toBe('');
    },
  );

  it.each([[['mappings']], [['mappings', 'x', '--format', 'xml']], [['frobnicate']], [['mappings', '--hlep']]])(
    'exits 1 with the usage on %j',
    (args) => {
      const { code, stderr } = cli(...args);
      expect(code).toBe(1);
      expect(stderr).toContain('Usage : psc-assistant mappings');
    },
  );
});
