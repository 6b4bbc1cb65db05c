import type { VerifyReport } from './chain';
import type { ReadableDb } from './db';
import { iterateRows, parseStoredEntry, verifyJournal } from './journal';
import type { JournalEntry } from './journal-entry';
import { createPseudonymizer, pseudonymizeEntry } from './pseudonymize';

/** Export format. */
export type ExportFormat = 'csv' | 'json';

/** Options of a journal export. */
export type ExportOptions = { format: ExportFormat; pseudonymizeKey?: string | undefined; generatedAt: string };

/** CSV header (one column per field; `details` as canonical JSON). */
export const CSV_COLUMNS = [
  'seq',
  'at',
  'kind',
  'agent_upn',
  'agent_oid',
  'tenant_id',
  'card_number',
  'identifier',
  'serial_hex',
  'ski_hex',
  'user_id',
  'user_upn',
  'details',
  'hash',
] as const;

/**
 * Quote one CSV field (RFC 4180) and defuse spreadsheet formulas: a cell starting with = + - @ or a tab is prefixed
 * with a quote so opening the export in Excel never runs anything an attacker wrote into a journal field.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function csvLine(entry: JournalEntry, hash: string): string {
  const cells = [
    String(entry.seq),
    entry.at,
    entry.kind,
    entry.agent.upn,
    entry.agent.oid,
    entry.agent.tenantId,
    entry.card?.cardNumber ?? '',
    entry.card?.identifier ?? '',
    entry.card?.serialHex ?? '',
    entry.card?.skiHex ?? '',
    entry.user?.id ?? '',
    entry.user?.upn ?? '',
    JSON.stringify(entry.details),
    hash,
  ];
  return cells.map(csvField).join(',');
}

/** Render entries (already pseudonymised if asked) and their verification as CSV or JSON text. */
export function renderExport(
  items: readonly { entry: JournalEntry; hash: string }[],
  verification: VerifyReport,
  options: { format: ExportFormat; generatedAt: string; pseudonymized: boolean },
): string {
  if (options.format === 'csv') {
    const lines = [CSV_COLUMNS.join(','), ...items.map(({ entry, hash }) => csvLine(entry, hash))];
    return `${lines.join('\r\n')}\r\n`;
  }
  const document = {
    format: 'psc-assistant-journal',
    version: 1,
    generatedAt: options.generatedAt,
    pseudonymized: options.pseudonymized,
    verification: { ok: verification.ok, entries: verification.entries, problems: verification.problems },
    entries: items.map(({ entry, hash }) => ({ ...entry, hash })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * Export the journal as CSV or JSON, optionally pseudonymised, with the verification result alongside.
 *
 * The export is taken in one read transaction so the entries and the verification describe the same snapshot.
 * Unreadable rows (edited by hand) are left out of the listing; the verification names them.
 */
export function exportJournal(db: ReadableDb, options: ExportOptions): { text: string; verification: VerifyReport } {
  const pseudo = options.pseudonymizeKey === undefined ? undefined : createPseudonymizer(options.pseudonymizeKey);
  return db.transaction(() => {
    const verification = verifyJournal(db);
    const items: { entry: JournalEntry; hash: string }[] = [];
    for (const row of iterateRows(db)) {
      let entry: JournalEntry;
      try {
        entry = parseStoredEntry(row);
      } catch {
        continue;
      }
      items.push({ entry: pseudo === undefined ? entry : pseudonymizeEntry(entry, pseudo), hash: row.hash });
    }
    const text = renderExport(items, verification, { ...options, pseudonymized: pseudo !== undefined });
    return { text, verification };
  })();
}
