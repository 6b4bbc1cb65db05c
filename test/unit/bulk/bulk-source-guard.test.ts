/**
 * `bulk:preview` / `bulk:apply` with a `csv-file` source read only `.csv`/`.txt` files (a path to any other readable
 * file, `/proc/self/environ` or a key file, is refused before it is opened), and a refusal never echoes more than a
 * short header back (a wrong file named `.csv` is not sent back whole to the page).
 */
import { mkdtemp, readFile, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  capEchoedHeader,
  loadBulkSource,
  MAX_ECHOED_HEADER_CELL_CHARS,
  MAX_ECHOED_HEADER_CELLS,
} from '../../../electron/services/enrollment/bulk-source';
import type { SourceFs } from '../../../electron/services/enrollment/bulk-source';
import { en } from '../../../shared/i18n/en';
import { fr } from '../../../shared/i18n/fr';

/** The real file system, recording which paths were opened (stat or read). */
function recordingFs(): SourceFs & { opened: string[] } {
  const opened: string[] = [];
  return {
    opened,
    readFile: async (path) => {
      opened.push(path);
      return new Uint8Array(await readFile(path));
    },
    readdir: (path) => readdir(path),
    stat: (path) => {
      opened.push(path);
      return stat(path);
    },
  };
}

describe('bulk-source: csv-file paths', () => {
  it.each([
    ['/proc/self/environ'],
    ['/etc/passwd'],
    ['/etc/ssl/private/key.pem'],
    ['C:\\Users\\agent\\lot.xlsx'],
    ['/tmp/lot.csv.bak'],
    ['/tmp/lot'],
  ])('%s is refused before it is opened', async (path) => {
    const fs = recordingFs();
    const loaded = await loadBulkSource({ kind: 'csv-file', path }, fs);
    expect(loaded.rows).toEqual([]);
    expect(loaded.fileError).toMatchObject({ code: 'bulk.csv-not-a-csv-file', details: { path } });
    expect(fs.opened).toEqual([]);
  });

  it('the refusal has its message in both languages', () => {
    expect(fr.errors.bulk['csv-not-a-csv-file']).toContain('{{path}}');
    expect(en.errors.bulk['csv-not-a-csv-file']).toContain('{{path}}');
  });

  it.each([['lot.csv'], ['LOT.CSV'], ['export.txt']])('%s is read', async (name) => {
    const dir = await mkdtemp(join(tmpdir(), 'psc-bulk-guard-'));
    const path = join(dir, name);
    await writeFile(path, 'utilisateur;certificat\r\n');
    const fs = recordingFs();
    const loaded = await loadBulkSource({ kind: 'csv-file', path }, fs);
    expect(fs.opened).toContain(path);
    expect(loaded.fileError?.code).not.toBe('bulk.csv-not-a-csv-file');
  });

  it('a .csv that is not one (a link to /proc/self/environ) echoes only a short header', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'psc-bulk-guard-'));
    const path = join(dir, 'lot.csv');
    await symlink('/proc/self/environ', path);
    const loaded = await loadBulkSource({ kind: 'csv-file', path }, recordingFs());
    expect(loaded.rows).toEqual([]);
    expect(loaded.fileError?.code).toBe('bulk.csv-missing-column');
    const header = loaded.fileError?.details?.header;
    expect(Array.isArray(header)).toBe(true);
    const cells = header as unknown[];
    expect(cells.length).toBeLessThanOrEqual(MAX_ECHOED_HEADER_CELLS);
    for (const cell of cells) {
      expect(typeof cell === 'string' && cell.length <= MAX_ECHOED_HEADER_CELL_CHARS).toBe(true);
    }
    const environ = await readFile('/proc/self/environ', 'utf8');
    expect(JSON.stringify(loaded.fileError?.details).length).toBeLessThan(
      MAX_ECHOED_HEADER_CELLS * (MAX_ECHOED_HEADER_CELL_CHARS + 8) + 200 + path.length,
    );
    // Long environments are cut, not echoed whole.
    if (environ.length > MAX_ECHOED_HEADER_CELL_CHARS) {
      expect(JSON.stringify(loaded.fileError?.details)).not.toContain(environ.replace(/\0/g, ''));
    }
  });

  it('a pasted CSV with a huge header is cut too, and says how many cells it had', async () => {
    const header = Array.from({ length: 500 }, (_, i) => `colonne-${String(i)}-${'x'.repeat(200)}`).join(';');
    const loaded = await loadBulkSource(
      { kind: 'csv-text', csvText: `${header}\r\na;b\r\n`, fileName: 'lot.csv', baseDir: null },
      recordingFs(),
    );
    expect(loaded.fileError?.code).toBe('bulk.csv-missing-column');
    expect(loaded.fileError?.details).toMatchObject({ missing: ['user', 'certificate'], headerCells: 500 });
    const cells = loaded.fileError?.details?.header as string[];
    expect(cells).toHaveLength(MAX_ECHOED_HEADER_CELLS);
    expect(cells[0]).toBe(`colonne-0-${'x'.repeat(MAX_ECHOED_HEADER_CELL_CHARS - 'colonne-0-'.length)}`);
  });
});

describe('capEchoedHeader', () => {
  it.each([
    ['no header', { missing: ['user'] }, { missing: ['user'] }],
    ['a short header', { header: ['nom', 'mail'] }, { header: ['nom', 'mail'] }],
    ['non-string cells', { header: ['nom', 3, null] }, { header: ['nom', '', ''] }],
    [
      'a long cell',
      { header: ['a'.repeat(MAX_ECHOED_HEADER_CELL_CHARS + 1)] },
      { header: ['a'.repeat(MAX_ECHOED_HEADER_CELL_CHARS)] },
    ],
    [
      'too many cells',
      { header: Array.from({ length: MAX_ECHOED_HEADER_CELLS + 1 }, () => 'c') },
      { header: Array.from({ length: MAX_ECHOED_HEADER_CELLS }, () => 'c'), headerCells: MAX_ECHOED_HEADER_CELLS + 1 },
    ],
  ])('%s', (_label, details, expected) => {
    expect(capEchoedHeader(details)).toEqual(expected);
  });
});
