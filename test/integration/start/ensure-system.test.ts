import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = join(import.meta.dirname, '..', '..', '..');

function ensureSystem(env: Record<string, string>) {
  return spawnSync(process.execPath, [join(repoRoot, 'scripts', 'ensure-system.mjs')], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

describe('scripts/ensure-system (pretest)', () => {
  it.each([
    [
      'the CPx certificates',
      { CPX_CERTS_DIR: '/nonexistent/cpx' },
      'Données de test absentes (certificats publics IGC-Santé et cartes de test) : /nonexistent/cpx (avec test-end-entity/)\n' +
        '  Placez-les à cet endroit, ou indiquez leur dossier : CPX_CERTS_DIR=/chemin/vers/le/dossier npm test',
    ],
    [
      'the Graph schema',
      { PSC_GRAPH_SCHEMA_DIR: '/nonexistent/graph' },
      'Données de test absentes (schéma Microsoft Graph) : /nonexistent/graph\n' +
        '  Placez-les à cet endroit, ou indiquez leur dossier : PSC_GRAPH_SCHEMA_DIR=/chemin/vers/le/dossier npm test',
    ],
  ])('stops with the exact fix when %s are missing', (_what, env, message) => {
    const result = ensureSystem(env);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(message);
  });

  it('passes on this machine, where the shared data, packages and Node builds of the addons are present', () => {
    const result = ensureSystem({});

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
