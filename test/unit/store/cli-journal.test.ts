import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../../electron/cli/main';
import { openStore, sampleEntry, tamper, tempDir } from './helpers';

/** Run the real CLI entry in-process, capturing its output. */
async function cli(env: Record<string, string>, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    now: () => new Date('2026-03-02T10:00:00Z'),
    ...({ env } as object),
  });
  return { code, stdout, stderr };
}

describe('psc-assistant journal', () => {
  let dir: { dir: string; cleanup: () => void };
  let file: string;
  beforeEach(async () => {
    dir = tempDir();
    file = join(dir.dir, 'live', 'psc-assistant.db');
    const store = openStore(file);
    for (let n = 1; n <= 5; n += 1) {
      await store.journal.append(sampleEntry(n));
    }
    store.close();
  });
  afterEach(() => {
    dir.cleanup();
  });

  it('verify exits 0 with a French report on an intact journal', async () => {
    const r = await cli({}, 'journal', 'verify', '--db', file);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Entrées : 5');
    expect(r.stdout).toContain('INTÈGRE');
  });

  it('verify finds the default database under PSC_ASSISTANT_DATA_DIR', async () => {
    const r = await cli({ PSC_ASSISTANT_DATA_DIR: dir.dir }, 'journal', 'verify');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(file);
  });

  it('verify exits 3 and lists each problem when the journal was tampered with', async () => {
    tamper(
      file,
      "DELETE FROM journal WHERE seq = 2; UPDATE journal SET entry_json = replace(entry_json, 'u-4', 'u-9') WHERE seq = 4;",
    );
    const r = await cli({}, 'journal', 'verify', '--db', file);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('ALTÉRÉ — 2 anomalies');
    expect(r.stdout).toMatch(/n°2 +supprimée/);
    expect(r.stdout).toMatch(/n°4 +modifiée/);
  });

  it('export writes CSV or JSON to stdout, pseudonymised on request', async () => {
    const csv = await cli({}, 'journal', 'export', '--format', 'csv', '--db', file);
    expect(csv.code).toBe(0);
    // Header, 5 entries, the journal-head row, and the empty string after the last CRLF.
    expect(csv.stdout.split('\r\n')).toHaveLength(8);
    const json = await cli(
      {},
      'journal',
      'export',
      '--format=json',
      '--pseudonymize-key',
      'une-clé-assez-longue',
      '--db',
      file,
    );
    expect(json.code).toBe(0);
    expect(json.stdout).not.toContain('praticien.');
    expect(JSON.parse(json.stdout)).toMatchObject({ generatedAt: '2026-03-02T10:00:00.000Z', pseudonymized: true });
  });

  it('export exits 3 with a warning when the journal is tampered', async () => {
    tamper(file, 'DELETE FROM journal WHERE seq = 5');
    const r = await cli({}, 'journal', 'export', '--format', 'json', '--db', file);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('ALTÉRÉ');
  });

  it.each([
    [['journal'], 'Action manquante'],
    [['journal', 'repair'], 'Action inconnue'],
    [['journal', 'export'], '--format est requis'],
    [['journal', 'export', '--format', 'xml'], 'Format inconnu'],
    [['journal', 'verify', '--db'], 'Valeur manquante'],
    [['journal', 'verify', '--format', 'csv'], 'Option inconnue'],
  ])('%j is a usage error (exit 1)', async (argv, message) => {
    const r = await cli({}, ...argv);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
  });

  it('exits 1 on a weak pseudonymisation key and 2 on a missing database', async () => {
    expect(
      (await cli({}, 'journal', 'export', '--format', 'csv', '--pseudonymize-key', 'court', '--db', file)).code,
    ).toBe(1);
    const missing = await cli({}, 'journal', 'verify', '--db', join(dir.dir, 'absent.db'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('store.not-found');
  });
});
