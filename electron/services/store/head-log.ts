/**
 * Journal head checkpoints kept outside the database: an append-only text file next to it, one `seq hash time` line
 * per committed batch of entries. Someone who cuts entries off the end of the journal and rewrites its head inside
 * the database still leaves the file ahead of it; `verify` reports the journal as truncated.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DB_FILE_NAME } from './paths';

/** File name of the checkpoints of the app's database (`psc-assistant.db`), in the same folder. */
export const HEAD_LOG_FILE_NAME = 'journal-head.log';

/** Largest tail of the file read back (the last checkpoint is all verify needs). */
const MAX_TAIL_BYTES = 64 * 1024;

/** One checkpoint: the journal's head after a committed batch. */
export type HeadCheckpoint = { seq: number; hash: string; at: string };

/**
 * Path of the checkpoint file of a database (null for an in-memory database): `journal-head.log` next to the app's
 * `psc-assistant.db`, `<name>.journal-head.log` next to any other file, so databases sharing a folder (tests, chaos
 * agents, a copy kept for an audit) never mix their checkpoints.
 */
export function headLogPathFor(dbFilePath: string): string | null {
  if (dbFilePath === ':memory:') {
    return null;
  }
  const name = basename(dbFilePath);
  const file = name === DB_FILE_NAME ? HEAD_LOG_FILE_NAME : `${name.replace(/\.db$/, '')}.${HEAD_LOG_FILE_NAME}`;
  return join(dirname(dbFilePath), file);
}

/**
 * Append one checkpoint line (a single `write` with O_APPEND: lines of two processes never mix).
 *
 * Not fsync'd: the line is written after the database commit (which is), so the file can lag behind the journal
 * after a power cut — which verify accepts — but never run ahead of it. An fsync here cost two thirds of the append
 * rate for no gain in what verify can trust.
 */
export function appendCheckpoint(path: string, checkpoint: HeadCheckpoint): void {
  const fd = openSync(path, 'a', 0o600);
  try {
    writeSync(fd, `${String(checkpoint.seq)} ${checkpoint.hash} ${checkpoint.at}\n`);
  } finally {
    closeSync(fd);
  }
}

const LINE = /^(\d{1,15}) ([0-9a-f]{64}) (\S{1,40})$/;

/** Parse one line; undefined when it is not a checkpoint (a torn last line after a crash, a stray edit). */
export function parseCheckpoint(line: string): HeadCheckpoint | undefined {
  const match = LINE.exec(line.trim());
  if (match === null) {
    return undefined;
  }
  const seq = Number(match[1]);
  return Number.isSafeInteger(seq) && seq > 0 ? { seq, hash: match[2] ?? '', at: match[3] ?? '' } : undefined;
}

/**
 * The highest checkpoint in the file's last 64 KiB, or undefined when there is no file or no readable line.
 *
 * The highest, not the last: two processes committing at once may write their lines in either order.
 */
export function lastCheckpoint(path: string | null): HeadCheckpoint | undefined {
  if (path === null || !existsSync(path)) {
    return undefined;
  }
  const size = statSync(path).size;
  const text = size <= MAX_TAIL_BYTES ? readFileSync(path, 'utf8') : readTail(path, size);
  let best: HeadCheckpoint | undefined;
  for (const line of text.split('\n')) {
    const checkpoint = parseCheckpoint(line);
    if (checkpoint !== undefined && (best === undefined || checkpoint.seq > best.seq)) {
      best = checkpoint;
    }
  }
  return best;
}

function readTail(path: string, size: number): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(MAX_TAIL_BYTES);
    const read = readSync(fd, buffer, 0, MAX_TAIL_BYTES, size - MAX_TAIL_BYTES);
    // The first line of the window is probably cut: drop it.
    const text = buffer.subarray(0, read).toString('utf8');
    return text.slice(text.indexOf('\n') + 1);
  } finally {
    closeSync(fd);
  }
}
