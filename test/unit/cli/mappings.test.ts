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
  certificateUserIds: Record<string, string | null> | null;
  classification: Record<string, unknown> | null;
  usableForMapping: boolean;
  reason: string | null;
  checks: { id: string; passed: boolean; explanation: string }[];
  warnings: string[];
  error?: { code: string; message: string };
};

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
    expect(results[0]!.certificateUserIds?.PrincipalName).toBe('X509:<PN>30B0057881/CPET0002@carte-cps.fr');
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
    // A script reading `.certificateUserIds.SKI` finds nothing for certificates that must never be mapped.
    expect(results.map((r) => [r.usableForMapping, r.reason, r.certificateUserIds === null])).toEqual([
      [true, null, false],
      [false, null, true],
      [false, 'signature-certificate-never-map', true],
      [false, null, true],
      [false, 'legacy-issuer', true],
    ]);
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
    expect(ca!.certificateUserIds).toBeNull();
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
    expect(results[1]!.certificateUserIds).toBeNull();
  });

  it('renders a French table', () => {
    const { code, stdout } = cli('mappings', join(CERTS, 'test-end-entity/2600301752-Auth.crt'), '--format', 'table');
    expect(code).toBe(0);
    expect(stdout).toContain("Certificat d'authentification CPx — carte de TEST — CPE");
    expect(stdout).toContain('SKI (recommandé)');
    expect(stdout).toContain('X509:<SKI>3F0F9C73269D3B91CB041B38E994B4D304C5A897');
  });

  it.each([[['mappings']], [['mappings', 'x', '--format', 'xml']], [['frobnicate']]])(
    'exits 1 with the usage on %j',
    (args) => {
      const { code, stderr } = cli(...args);
      expect(code).toBe(1);
      expect(stderr).toContain('Usage : psc-assistant mappings');
    },
  );
});
