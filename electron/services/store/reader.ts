import { existsSync } from 'node:fs';
import { verifyChain } from './chain';
import type { HeadAnchor, VerifyReport } from './chain';
import { openReadable, schemaVersion } from './db';
import { storeError, withSqliteErrors } from './errors';
import { exportJournal, renderExport } from './export';
import type { ExportFormat } from './export';
import { headLogPathFor, lastCheckpoint } from './head-log';
import { verifyJournal } from './journal';
import { LATEST_VERSION } from './migrations';

/** Read-only view of a store file, for the CLI and audits: never migrates, never takes a write lock. */
export type JournalReader = {
  /**
   * Walk the chain, and check it still reaches the last checkpoint written next to the database and, when given, a
   * head the auditor kept elsewhere (`seq` and `hash` of an earlier verify or export).
   */
  verify(options?: { expectHead?: { seq: number; hash: string } | undefined }): VerifyReport;
  export(options: { format: ExportFormat; pseudonymizeKey?: string; generatedAt: string }): {
    text: string;
    verification: VerifyReport;
  };
  close(): void;
};

const EMPTY: VerifyReport = { ok: true, entries: 0, head: null, problems: [], truncated: false };

/**
 * Open a store file read-only. A missing file is `store.not-found`; a file from a newer build is `store.too-new`; a
 * file that has no journal yet (schema 0) reads as an empty, intact journal.
 */
export function openJournalReader(filePath: string, options: { headLogPath?: string | null } = {}): JournalReader {
  if (!existsSync(filePath)) {
    throw storeError('store.not-found', { filePath });
  }
  const db = openReadable(filePath);
  const version = withSqliteErrors({ filePath }, () => schemaVersion(db));
  if (version > LATEST_VERSION) {
    db.close();
    throw storeError('store.too-new', { version, supported: LATEST_VERSION });
  }
  const hasJournal = version >= 1;
  return {
    verify: (verifyOptions) => {
      const headLog = options.headLogPath === undefined ? headLogPathFor(filePath) : options.headLogPath;
      const checkpoint = lastCheckpoint(headLog);
      const anchors: HeadAnchor[] = [
        ...(checkpoint === undefined
          ? []
          : [{ seq: checkpoint.seq, hash: checkpoint.hash, source: 'checkpoint' as const }]),
        ...(verifyOptions?.expectHead === undefined
          ? []
          : [{ ...verifyOptions.expectHead, source: 'expected' as const }]),
      ];
      // A journal without tables (schema 0) still has to reach the anchors: an emptied file is not intact.
      return withSqliteErrors({ filePath }, () =>
        hasJournal ? verifyJournal(db, anchors) : verifyChain([], undefined, anchors),
      );
    },
    export: (options) =>
      hasJournal
        ? withSqliteErrors({ filePath }, () => exportJournal(db, options))
        : exportEmpty(options.format, options.generatedAt),
    close: () => {
      db.close();
    },
  };
}

function exportEmpty(format: ExportFormat, generatedAt: string): { text: string; verification: VerifyReport } {
  // Same shapes as a real export with no rows, so scripts need no special case.
  return { text: renderExport([], EMPTY, { format, generatedAt, pseudonymized: false }), verification: EMPTY };
}
