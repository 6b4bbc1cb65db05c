/**
 * The trust store on disk, in the data folder: `trust/<SHA-256>.cer` (CA certificates, DER), `trust/approved.json`
 * (the CAs the user confirmed by hand), `crl/<SHA-256 of the signing CA>.crl` (CRLs kept for offline use).
 *
 * Every entry is read on its own: a bad file, a subfolder or a permission problem skips that entry (logged) and
 * never breaks the others.
 */
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import type { Logger } from '../../../shared/logging';

/** Bound on the entries read from one folder (a data folder never holds this many CAs or CRLs). */
const MAX_ENTRIES = 2000;

/** Largest file read from the folders (CRLs of the person CAs are the biggest). */
const MAX_FILE_BYTES = 32 * 1024 * 1024;

const approvalsSchema = z.object({
  version: z.literal(1),
  manual: z.array(z.object({ sha256: z.string().regex(/^[0-9A-F]{64}$/), addedAt: z.iso.datetime() })).max(1000),
});

/** CAs confirmed by hand. */
export type Approvals = z.infer<typeof approvalsSchema>;

/** A file read from one of the folders. */
export type StoredFile = { name: string; bytes: Uint8Array };

/** Paths of the store. */
export function trustPaths(dataDir: string) {
  return {
    cas: join(dataDir, 'trust'),
    crls: join(dataDir, 'crl'),
    approvals: join(dataDir, 'trust', 'approved.json'),
  };
}

/** Regular files of `dir` matching `pattern`, each read independently; missing folder = none. */
export async function readFolder(dir: string, pattern: RegExp, logger: Logger): Promise<StoredFile[]> {
  let names: string[];
  try {
    names = (await readdir(dir))
      .filter((n) => pattern.test(n))
      .sort()
      .slice(0, MAX_ENTRIES);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') {
      logger.warn('trust folder unreadable', { dir, error: String(error) });
    }
    return [];
  }
  const files: StoredFile[] = [];
  for (const name of names) {
    const path = join(dir, name);
    try {
      const info = await stat(path);
      if (!info.isFile() || info.size > MAX_FILE_BYTES) {
        logger.warn('trust entry skipped', { path, reason: info.isFile() ? 'too-large' : 'not-a-file' });
        continue;
      }
      files.push({ name, bytes: new Uint8Array(await readFile(path)) });
    } catch (error) {
      logger.warn('trust entry skipped', { path, error: String(error) });
    }
  }
  return files;
}

/** The approvals file; a missing or damaged one approves nothing (safe default) and is logged. */
export async function readApprovals(dataDir: string, logger: Logger): Promise<Approvals> {
  try {
    return approvalsSchema.parse(JSON.parse(await readFile(trustPaths(dataDir).approvals, 'utf8')));
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') {
      logger.warn('approved.json ignored', { error: String(error) });
    }
    return { version: 1, manual: [] };
  }
}

/** Write a file atomically (temp file + rename), creating its folder; `trust.write-failed` on any I/O error. */
export async function writeAtomically(dir: string, name: string, bytes: Uint8Array | string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    const tmp = join(dir, `.${name}.${process.pid}.tmp`);
    await writeFile(tmp, bytes);
    await rename(tmp, join(dir, name));
  } catch (error) {
    throw new AppError('trust.write-failed', {
      details: { reason: (error as { code?: unknown }).code ?? 'io' },
      cause: error,
    });
  }
}

/** Save the approvals file. */
export async function writeApprovals(dataDir: string, approvals: Approvals): Promise<void> {
  await writeAtomically(trustPaths(dataDir).cas, 'approved.json', `${JSON.stringify(approvals, null, 2)}\n`);
}

/** Delete a stored file; a file already gone is fine. */
export async function removeFile(dir: string, name: string): Promise<void> {
  try {
    await unlink(join(dir, name));
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') {
      throw new AppError('trust.write-failed', {
        details: { reason: (error as { code?: unknown }).code ?? 'io' },
        cause: error,
      });
    }
  }
}
