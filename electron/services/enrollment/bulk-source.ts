/**
 * Read the rows of a bulk import: a CSV (text from the page, or a file the app reads) whose certificate cells are
 * inline PEM/base64 or file paths — relative paths resolved against the CSV's folder — or a folder of certificate
 * files whose user is found later from each certificate. One bad row never stops the others.
 */
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import type { BulkSource } from '../../../shared/contract/bulk';
import { inspectCertificate, MAX_CERTIFICATE_FILE_BYTES, splitCertificateFile } from '../../../shared/certificates';
import { CSV_LIMITS, parseBulkEnrollmentCsv } from '../../../shared/enrollment';
import { decodeCsvBytes } from '../../../shared/enrollment/csv';
import { certificateFileNames, MAX_FOLDER_FILES } from '../../../shared/enrollment/bulk-folder';
import { renewalLines } from '../../../shared/enrollment/bulk-renewal';
import type { BulkRow as CsvRow } from '../../../shared/enrollment';
import { AppError } from '../../../shared/errors';

/** One row before Graph is asked anything. */
export type SourceRow = {
  line: number;
  /** `ligne 3` of the CSV, or the file name of a folder import. */
  source: string;
  /** The user as written in the CSV; empty for a folder import (found from the certificate). */
  user: string;
  /** UPN or object id to read; null: find the user from the certificate. */
  userRef: string | null;
  der: Uint8Array | null;
  isRenewal: boolean;
  error: AppError | null;
};

/** The rows, or why the whole source is unusable. */
export type LoadedSource = { label: string; rows: SourceRow[]; fileError: AppError | null };

/** File access (injected so tests can count reads; defaults are `node:fs/promises`). */
export type SourceFs = {
  readFile(path: string): Promise<Uint8Array>;
  readdir(path: string): Promise<string[]>;
  stat(path: string): Promise<{ size: number; isFile(): boolean }>;
};

/** The authentication certificate of a file's bytes (a .p7b or PEM bundle may hold several). */
export function authenticationCertificate(bytes: Uint8Array): Uint8Array {
  let candidates: Uint8Array[];
  try {
    candidates = splitCertificateFile(bytes);
  } catch (cause) {
    throw new AppError('enrollment.invalid-certificate', { details: { bytes: bytes.length }, cause });
  }
  const der = candidates.find((candidate) => {
    try {
      return inspectCertificate(candidate).role === 'authentication';
    } catch {
      return false;
    }
  });
  if (der === undefined) {
    throw new AppError('enrollment.not-an-authentication-certificate', {
      details: { certificates: candidates.length },
    });
  }
  return der;
}

async function readCertificateFile(fs: SourceFs, path: string, line: number): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    const info = await fs.stat(path);
    if (!info.isFile() || info.size > MAX_CERTIFICATE_FILE_BYTES) {
      throw new Error(info.isFile() ? 'too large' : 'not a file');
    }
    bytes = await fs.readFile(path);
  } catch (cause) {
    throw new AppError('bulk.row-unreadable-file', { details: { line, path: basename(path) }, cause });
  }
  return authenticationCertificate(bytes);
}

async function certificateOf(fs: SourceFs, row: CsvRow, baseDir: string | null): Promise<Uint8Array> {
  const { certificate } = row;
  if (certificate.kind === 'path') {
    if (!isAbsolute(certificate.value) && baseDir === null) {
      throw new AppError('bulk.row-relative-path', { details: { line: row.line } });
    }
    // Windows paths written in the CSV use `\`; on other systems they are still separators for the user.
    const written = process.platform === 'win32' ? certificate.value : certificate.value.replace(/\\/g, '/');
    const path = isAbsolute(written) ? written : resolve(baseDir ?? '/', written);
    return readCertificateFile(fs, path, row.line);
  }
  const bytes =
    certificate.kind === 'pem'
      ? new TextEncoder().encode(certificate.value)
      : new Uint8Array(Buffer.from(certificate.value, 'base64'));
  return authenticationCertificate(bytes);
}

/** Extensions a CSV file the app reads by path may have: the app never reads (and echoes) any other file. */
export const CSV_FILE_EXTENSIONS: readonly string[] = ['.csv', '.txt'];

/** Header cells echoed back in an error at most, and characters per cell (a wrong file must not be echoed whole). */
export const MAX_ECHOED_HEADER_CELLS = 20;
export const MAX_ECHOED_HEADER_CELL_CHARS = 64;

/** The header of a refusal, cut to a few short cells (enough to see which columns the file has). */
export function capEchoedHeader(details: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const header = details.header;
  if (!Array.isArray(header)) {
    return { ...details };
  }
  const cells = header
    .slice(0, MAX_ECHOED_HEADER_CELLS)
    .map((cell) => (typeof cell === 'string' ? cell : '').slice(0, MAX_ECHOED_HEADER_CELL_CHARS));
  return {
    ...details,
    header: cells,
    ...(header.length > MAX_ECHOED_HEADER_CELLS ? { headerCells: header.length } : {}),
  };
}

const rowError = (error: unknown, line: number): AppError =>
  error instanceof AppError
    ? new AppError(error.code, { details: { ...(error.details ?? {}), line }, cause: error })
    : new AppError('enrollment.invalid-certificate', { details: { line }, cause: error });

async function loadCsv(fs: SourceFs, csvText: string, label: string, baseDir: string | null): Promise<LoadedSource> {
  const parsed = parseBulkEnrollmentCsv(csvText);
  if (!parsed.ok) {
    return {
      label,
      rows: [],
      fileError: new AppError(parsed.refusal.code, { details: capEchoedHeader(parsed.refusal.details) }),
    };
  }
  const renewals = renewalLines(csvText);
  const rows: SourceRow[] = parsed.result.errors.map((e) => ({
    line: e.line,
    source: `${label}:${String(e.line)}`,
    user: '',
    userRef: null,
    der: null,
    isRenewal: false,
    error: new AppError(e.code, { details: { ...e.details, line: e.line } }),
  }));
  for (const row of parsed.result.rows) {
    const base = {
      line: row.line,
      source: `${label}:${String(row.line)}`,
      user: row.user.value,
      userRef: row.user.value,
      isRenewal: renewals.has(row.line),
    };
    try {
      rows.push({ ...base, der: await certificateOf(fs, row, baseDir), error: null });
    } catch (error) {
      rows.push({ ...base, der: null, error: rowError(error, row.line) });
    }
  }
  rows.sort((a, b) => a.line - b.line);
  return { label, rows, fileError: null };
}

async function loadFolder(fs: SourceFs, folder: string): Promise<LoadedSource> {
  const label = basename(folder) || folder;
  let names: string[];
  try {
    names = certificateFileNames(await fs.readdir(folder));
  } catch (cause) {
    return { label, rows: [], fileError: new AppError('bulk.folder-unreadable', { details: { path: folder }, cause }) };
  }
  if (names.length === 0) {
    return { label, rows: [], fileError: new AppError('bulk.folder-empty', { details: { path: folder } }) };
  }
  if (names.length > MAX_FOLDER_FILES) {
    return {
      label,
      rows: [],
      fileError: new AppError('bulk.too-many-rows', { details: { rows: names.length, max: MAX_FOLDER_FILES } }),
    };
  }
  const rows: SourceRow[] = [];
  for (const [i, name] of names.entries()) {
    const base = { line: i + 1, source: name, user: '', userRef: null, isRenewal: false };
    try {
      rows.push({ ...base, der: await readCertificateFile(fs, join(folder, name), i + 1), error: null });
    } catch (error) {
      rows.push({ ...base, der: null, error: rowError(error, i + 1) });
    }
  }
  return { label, rows, fileError: null };
}

/** Read the rows of a source. */
export async function loadBulkSource(source: BulkSource, fs: SourceFs): Promise<LoadedSource> {
  switch (source.kind) {
    case 'csv-text':
      return loadCsv(fs, source.csvText, source.fileName ?? 'csv', source.baseDir);
    case 'csv-file': {
      const label = basename(source.path);
      // Only a .csv/.txt file: a path typed by hand (or sent by a tampered page) must not read any other file.
      if (!CSV_FILE_EXTENSIONS.includes(extname(source.path).toLowerCase())) {
        return {
          label,
          rows: [],
          fileError: new AppError('bulk.csv-not-a-csv-file', { details: { path: source.path } }),
        };
      }
      let text: string;
      try {
        const info = await fs.stat(source.path);
        if (!info.isFile() || info.size > CSV_LIMITS.maxChars) {
          throw new AppError(info.isFile() ? 'bulk.csv-too-large' : 'bulk.csv-unreadable', {
            details: { path: source.path },
          });
        }
        // UTF-8, or the Windows-1252 of a French Excel « CSV (séparateur : point-virgule) ».
        text = decodeCsvBytes(await fs.readFile(source.path)).text;
      } catch (cause) {
        const error =
          cause instanceof AppError
            ? cause
            : new AppError('bulk.csv-unreadable', { details: { path: source.path }, cause });
        return { label, rows: [], fileError: error };
      }
      return loadCsv(fs, text, label, dirname(resolve(source.path)));
    }
    case 'folder':
      return loadFolder(fs, resolve(source.path));
  }
}
