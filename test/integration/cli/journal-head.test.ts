import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../../electron/cli/main';
import { openStore, sampleEntry, tamper, tempDir } from '../../unit/store/helpers';

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

describe('psc-assistant journal: head anchors and the pseudonymisation key', () => {
  let dir: { dir: string; cleanup: () => void };
  let file: string;
  let head: string;
  beforeEach(async () => {
    dir = tempDir();
    file = join(dir.dir, 'live', 'psc-assistant.db');
    const store = openStore(file);
    for (let n = 1; n <= 5; n += 1) {
      await store.journal.append(sampleEntry(n));
    }
    const report = await store.journal.verify();
    head = `${String(report.head?.seq)}:${String(report.head?.hash)}`;
    store.close();
  });
  afterEach(() => {
    dir.cleanup();
  });

  it('verify prints the head to keep, and accepts it back with --expect-head', async () => {
    const r = await cli({}, 'journal', 'verify', '--db', file);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Tête à conserver (--expect-head) : ${head}`);
    expect((await cli({}, 'journal', 'verify', '--db', file, '--expect-head', head)).code).toBe(0);
  });

  it('exits 3 when the last entries were cut off and the head rewritten inside the database', async () => {
    tamper(
      file,
      'DELETE FROM journal WHERE seq = 5; UPDATE journal_head SET seq = 4, hash = (SELECT hash FROM journal WHERE seq = 4);',
    );
    const r = await cli({}, 'journal', 'verify', '--db', file);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/n°5 +fin coupée +fin du journal coupée : il s'arrête à l'entrée n°4/);
    expect(r.stdout).toContain('journal-head.log');
  });

  it('catches the same cut with --expect-head when the checkpoint file was deleted too', async () => {
    tamper(
      file,
      'DELETE FROM journal WHERE seq = 5; UPDATE journal_head SET seq = 4, hash = (SELECT hash FROM journal WHERE seq = 4);',
    );
    const { rmSync } = await import('node:fs');
    rmSync(join(dir.dir, 'live', 'journal-head.log'));
    expect((await cli({}, 'journal', 'verify', '--db', file)).code).toBe(0);
    const r = await cli({}, 'journal', 'verify', '--db', file, '--expect-head', head);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('--expect-head');
  });

  it.each([['5'], ['5:abc'], ['x:' + 'a'.repeat(64)], ['0:' + 'a'.repeat(64)]])(
    '--expect-head %s is a usage error',
    async (value) => {
      const r = await cli({}, 'journal', 'verify', '--db', file, '--expect-head', value);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('--expect-head attend');
    },
  );

  it('export prints the head on stderr', async () => {
    const r = await cli({}, 'journal', 'export', '--format', 'json', '--db', file);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`Tête du journal : ${head}`);
  });

  it('takes the pseudonymisation key from PSC_PSEUDONYMIZE_KEY or a file, never needing the command line', async () => {
    const fromEnv = await cli(
      { PSC_PSEUDONYMIZE_KEY: 'une-clé-assez-longue' },
      'journal',
      'export',
      '--format',
      'json',
      '--db',
      file,
    );
    expect(fromEnv.code).toBe(0);
    expect(JSON.parse(fromEnv.stdout)).toMatchObject({ pseudonymized: true });
    expect(fromEnv.stdout).not.toContain('praticien.');
    expect(fromEnv.stderr).not.toContain('une-clé');

    const keyFile = join(dir.dir, 'cle.txt');
    writeFileSync(keyFile, 'une-clé-assez-longue\n', { mode: 0o600 });
    const fromFile = await cli(
      {},
      'journal',
      'export',
      '--format',
      'json',
      '--pseudonymize-key-file',
      keyFile,
      '--db',
      file,
    );
    expect(fromFile.code).toBe(0);
    // Same key, same pseudonyms: the two exports are identical.
    expect(fromFile.stdout).toBe(fromEnv.stdout);
    expect(fromFile.stderr).not.toContain('visible');

    const plain = await cli({}, 'journal', 'export', '--format', 'json', '--db', file);
    expect(JSON.parse(plain.stdout)).toMatchObject({ pseudonymized: false });
  });

  it('warns when the key is on the command line, and refuses an unreadable or short key file', async () => {
    const arg = await cli(
      {},
      'journal',
      'export',
      '--format',
      'csv',
      '--pseudonymize-key',
      'une-clé-assez-longue',
      '--db',
      file,
    );
    expect(arg.code).toBe(0);
    expect(arg.stderr).toContain('visible (ps, historique)');
    const missing = await cli(
      {},
      'journal',
      'export',
      '--format',
      'csv',
      '--pseudonymize-key-file',
      join(dir.dir, 'absent'),
      '--db',
      file,
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Fichier de clé illisible');
    const shortFile = join(dir.dir, 'court.txt');
    writeFileSync(shortFile, 'court\n');
    const short = await cli(
      {},
      'journal',
      'export',
      '--format',
      'csv',
      '--pseudonymize-key-file',
      shortFile,
      '--db',
      file,
    );
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('store.weak-key');
  });
});
