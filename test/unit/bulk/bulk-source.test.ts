import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadBulkSource } from '../../../electron/services/enrollment/bulk-source';
import type { SourceFs } from '../../../electron/services/enrollment/bulk-source';

const CERTS = fileURLToPath(new URL('../../../../shared/certs/cpx/test-end-entity', import.meta.url));
const AUTH = '2600301752-Auth.crt';
const SIGNATURE = 'test-cps-fort-personnes-signature.der';

/** The real file system, recording which paths were read. */
function recordingFs(): SourceFs & { read: string[] } {
  const read: string[] = [];
  return {
    read,
    readFile: async (path) => {
      read.push(path);
      return new Uint8Array(await readFile(path));
    },
    readdir: (path) => readdir(path),
    stat: (path) => stat(path),
  };
}

describe('bulk-source', () => {
  it('resolves relative certificate paths against the CSV folder, keeps absolute ones, reads the renewal column', async () => {
    const fs = recordingFs();
    const csv = [
      'utilisateur;certificat;renouvellement',
      `a@clinique.fr;./${AUTH};oui`,
      `b@clinique.fr;${join(CERTS, AUTH)};`,
      `c@clinique.fr;../test-end-entity/${SIGNATURE};`,
      'd@clinique.fr;./absent.cer;',
    ].join('\r\n');
    const loaded = await loadBulkSource({ kind: 'csv-text', csvText: csv, fileName: 'lot.csv', baseDir: CERTS }, fs);

    expect(loaded.fileError).toBeNull();
    expect(loaded.rows.map((r) => [r.line, r.userRef, r.der !== null, r.isRenewal, r.error?.code ?? null])).toEqual([
      [2, 'a@clinique.fr', true, true, null],
      [3, 'b@clinique.fr', true, false, null],
      [4, 'c@clinique.fr', false, false, 'enrollment.not-an-authentication-certificate'],
      [5, 'd@clinique.fr', false, false, 'bulk.row-unreadable-file'],
    ]);
    expect(fs.read).toEqual([join(CERTS, AUTH), join(CERTS, AUTH), join(CERTS, SIGNATURE)]);
  });

  it('refuses a relative path when no folder is known (CSV picked in the page without one)', async () => {
    const loaded = await loadBulkSource(
      { kind: 'csv-text', csvText: `user;certificate\r\na@x.fr;./${AUTH}\r\n`, fileName: null, baseDir: null },
      recordingFs(),
    );
    expect(loaded.rows[0]?.error?.code).toBe('bulk.row-relative-path');
  });

  it('reads a CSV file by path with paths relative to its own folder', async () => {
    const { mkdtempSync, writeFileSync, copyFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'psc-bulk-src-'));
    try {
      copyFileSync(join(CERTS, AUTH), join(dir, 'carte.crt'));
      writeFileSync(join(dir, 'lot.csv'), 'user;certificate\r\na@x.fr;carte.crt\r\n');
      const loaded = await loadBulkSource({ kind: 'csv-file', path: join(dir, 'lot.csv') }, recordingFs());
      expect(loaded.label).toBe('lot.csv');
      expect(loaded.rows.map((r) => [r.userRef, r.der !== null, r.error])).toEqual([['a@x.fr', true, null]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a Windows-1252 CSV from French Excel: an accented folder name still resolves', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, copyFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'psc-bulk-1252-'));
    try {
      mkdirSync(join(dir, 'Médecins'));
      copyFileSync(join(CERTS, AUTH), join(dir, 'Médecins', 'carte.crt'));
      // « CSV (séparateur : point-virgule) »: cp1252 bytes, é is 0xE9; a sep= line and an empty row as Excel leaves.
      const text = `sep=;\r\nAdresse mail;Fichier certificat;;\r\na@x.fr;${join(dir, 'Médecins', 'carte.crt')};;\r\n;;;\r\n`;
      writeFileSync(join(dir, 'lot.csv'), Buffer.from(text, 'latin1'));
      const loaded = await loadBulkSource({ kind: 'csv-file', path: join(dir, 'lot.csv') }, recordingFs());
      expect(loaded.fileError).toBeNull();
      expect(loaded.rows.map((r) => [r.line, r.userRef, r.der !== null, r.error])).toEqual([[3, 'a@x.fr', true, null]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('imports a folder: one row per certificate file, user to be found from the certificate', async () => {
    const loaded = await loadBulkSource({ kind: 'folder', path: CERTS }, recordingFs());
    expect(loaded.fileError).toBeNull();
    expect(loaded.rows.map((r) => [r.source, r.userRef, r.der !== null, r.error?.code ?? null])).toEqual([
      [AUTH, null, true, null],
      [SIGNATURE, null, false, 'enrollment.not-an-authentication-certificate'],
      ['test-gipcps-classe1-auth.der', null, true, null],
    ]);
  });

  it.each([
    ['a missing folder', { kind: 'folder' as const, path: '/nonexistent/psc' }, 'bulk.folder-unreadable'],
    [
      'a folder without certificates',
      { kind: 'folder' as const, path: join(CERTS, '..', '..', '..', 'docs') },
      'bulk.folder-empty',
    ],
    ['a missing CSV file', { kind: 'csv-file' as const, path: '/nonexistent/lot.csv' }, 'bulk.csv-unreadable'],
    [
      'a CSV without certificate column',
      { kind: 'csv-text' as const, csvText: 'user\r\na@x.fr\r\n', fileName: null, baseDir: null },
      'bulk.csv-missing-column',
    ],
  ])('refuses %s as a whole', async (_what, source, code) => {
    const loaded = await loadBulkSource(source, recordingFs());
    expect(loaded.rows).toEqual([]);
    expect(loaded.fileError?.code).toBe(code);
  });
});
