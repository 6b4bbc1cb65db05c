import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tenantOverviewSchema } from '../../../shared/contract/account';
import type { TenantOverview } from '../../../shared/contract/account';
import { fr } from '../../../shared/i18n/fr';
import { seedTenants } from '../../../emulators/graph/index';
import { str } from '../../../emulators/graph/model';
import type { Entity } from '../../../emulators/graph/model';
import { run } from '../../../electron/cli/main';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'bin/psc-assistant.mjs');
const INSTRUCTION =
  /^Pour vous connecter, ouvrez (https:\/\/127\.0\.0\.1:\d+\/devicelogin) et saisissez le code ([A-Z0-9]+)/m;

type Outcome = { code: number | null; stdout: string; stderr: string };

/** Runs the real bin (bundling the CLI first when stale) with its own data folder, so no real settings leak in. */
function cli(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  const dataDir = mkdtempSync(join(tmpdir(), 'psc-cli-tenant-'));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, PSC_ASSISTANT_DATA_DIR: dataDir, ...env },
      timeout: 90_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

/** The overview the app should read from the emulator's clinique-demo seed (the demo cloud's tenant). */
function seededOverview(): TenantOverview {
  const tenant = seedTenants().find((t) => t.key === 'clinique-demo');
  if (tenant === undefined) {
    throw new Error('clinique-demo seed missing');
  }
  const domains = tenant.organization.verifiedDomains;
  const x509 = tenant.authenticationMethodConfigurations.find((c) => c.id === 'X509Certificate');
  const x509State = x509 === undefined ? undefined : str(x509, 'state');
  return {
    tenantId: tenant.id,
    displayName: str(tenant.organization, 'displayName') ?? tenant.id,
    domains: Array.isArray(domains)
      ? domains.flatMap((d) =>
          typeof d === 'object' && d !== null && !Array.isArray(d) ? [str(d as Entity, 'name') ?? ''] : [],
        )
      : [],
    userCount: tenant.users.length + tenant.syntheticUserCount,
    x509State: x509State === 'enabled' || x509State === 'disabled' ? x509State : 'unknown',
    conditionalAccessPolicyCount: tenant.conditionalAccessPolicies.length,
  };
}

const noStackTrace = (text: string) => {
  expect(text).not.toMatch(/^\s+at /m);
  expect(text).not.toMatch(/Error:/);
};

describe('psc-assistant tenant (device code sign-in, then the tenant overview)', () => {
  it('--demo signs in with a device code and prints clinique-demo’s overview as JSON on a clean stdout', async () => {
    const { code, stdout, stderr } = await cli(['tenant', '--demo']);
    expect(stderr).toMatch(INSTRUCTION);
    expect(code).toBe(0);
    // stdout holds the JSON document and nothing else (logs and the instruction go to stderr).
    const overview = tenantOverviewSchema.parse(JSON.parse(stdout));
    expect(overview).toEqual(seededOverview());
    expect(stdout).not.toContain('Pour vous connecter');
    expect(stderr).toContain('camille.admin@clinique-demo.fr');
  }, 120_000);

  it('--format table prints the same facts in French', async () => {
    const expected = seededOverview();
    const { code, stdout, stderr } = await cli([
      'tenant',
      '--demo',
      '--format',
      'table',
      '--tenant',
      expected.tenantId,
    ]);
    expect(stderr).toMatch(INSTRUCTION);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^Organisation\\s+: ${expected.displayName}$`, 'm'));
    expect(stdout).toMatch(new RegExp(`^Utilisateurs\\s+: ${String(expected.userCount)}$`, 'm'));
    expect(stdout).toMatch(new RegExp(`^Domaines vérifiés\\s+: ${expected.domains.join(', ')}$`, 'm'));
    expect(stdout).toMatch(/^Méthode X\.509 \(certificats\)\s+: (activée|désactivée)$/m);
  }, 120_000);

  it('an unknown --tenant fails with exit 2 and the French message, without a stack trace', async () => {
    const { code, stdout, stderr } = await cli(['tenant', '--demo', '--tenant', 'inconnu.example.fr']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(fr.errors.identity['tenant-not-found']);
    expect(stderr).toContain('(identity.tenant-not-found)');
    noStackTrace(stderr);
  }, 120_000);

  it('live mode without a client ID (no --client-id, none saved) fails with the translated message', async () => {
    const { code, stdout, stderr } = await cli(['tenant']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(fr.errors.identity['client-id-missing']);
    expect(stderr).toContain('--client-id');
    noStackTrace(stderr);
  }, 120_000);

  it('a malformed option is a usage error (exit 1) with the usage text', async () => {
    const { code, stderr } = await cli(['tenant', '--demo', '--client-id', 'pas-un-guid']);
    expect(code).toBe(1);
    expect(stderr).toContain('Identifiant d');
    expect(stderr).toContain('Usage : psc-assistant tenant');
  }, 120_000);

  it('Ctrl-C while the code is shown cancels the sign-in cleanly (exit 130, nothing on stdout)', async () => {
    const interrupt = new AbortController();
    let stdout = '';
    let stderr = '';
    const code = await run(['tenant', '--demo'], {
      stdout: (t) => (stdout += t),
      stderr: (t) => {
        stderr += t;
        if (INSTRUCTION.test(t)) {
          // The person presses Ctrl-C instead of typing the code (the demo then approves nothing).
          interrupt.abort();
        }
      },
      now: () => new Date(),
      env: { PSC_ASSISTANT_DATA_DIR: mkdtempSync(join(tmpdir(), 'psc-cli-tenant-')) },
      signal: interrupt.signal,
    });
    expect(code).toBe(130);
    expect(stdout).toBe('');
    expect(stderr).toMatch(INSTRUCTION);
    expect(stderr).toContain('Connexion annulée.');
    expect(stderr).not.toContain('Connecté :');
    expect(stderr).not.toContain('approuvé automatiquement');
  }, 120_000);

  it('reads the client ID from the app’s saved settings (live mode gets past the client-ID check)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'psc-cli-tenant-'));
    const live = join(dataDir, 'live');
    mkdirSync(live, { recursive: true });
    writeFileSync(
      join(live, 'settings.json'),
      JSON.stringify({ language: 'fr', theme: 'system', clientId: '0d9a1c55-7d4e-4f0b-9a3c-5e6f7a8b9c0d' }),
    );
    // Microsoft is unreachable here (offline) or the made-up tenant is unknown: either way a sign-in was attempted.
    let stderr = '';
    const code = await run(['tenant', '--tenant', 'contoso.example'], {
      stdout: () => undefined,
      stderr: (t) => (stderr += t),
      now: () => new Date(),
      env: { PSC_ASSISTANT_DATA_DIR: dataDir },
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/\(identity\.(offline|tenant-not-found)\)/);
    expect(stderr).not.toContain(fr.errors.identity['client-id-missing']);
  }, 120_000);
});
