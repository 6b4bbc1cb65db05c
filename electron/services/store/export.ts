import { csvCell } from '../../../shared/enrollment/csv';
import type { VerifyReport } from './chain';
import type { ReadableDb } from './db';
import { iterateRows, parseStoredEntry, verifyJournal } from './journal';
import type { JournalEntry } from './journal-entry';
import { createPseudonymizer, pseudonymizeEntry } from './pseudonymize';
import { prepared } from './statements';

const SELECT_HEAD = 'SELECT seq, hash FROM journal_head WHERE id = 1';

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
 * Separator of the CSV export: `;`, what Excel expects on a French Windows (with `,` every entry lands in one
 * column). The file starts with a UTF-8 BOM so Excel reads the accents; no `sep=` line, which would make Excel
 * ignore the BOM.
 */
export const CSV_SEPARATOR = ';';

/** `kind` of the last CSV row: the journal head the export was taken at, for an auditor to keep or compare. */
export const CSV_HEAD_KIND = 'journal-head';

/**
 * Quote one CSV field (RFC 4180) and defuse spreadsheet formulas: a cell starting with = + - @ or a tab is prefixed
 * with a quote so opening the export in Excel never runs anything an attacker wrote into a journal field. Cells
 * holding any separator (`;`, `,`, tab), a quote, a line break or edge spaces are quoted.
 */
export function csvField(value: string): string {
  return csvCell(value, CSV_SEPARATOR);
}

/** The head of the journal as recorded by the store (`journal_head`), or null for an empty journal. */
export type JournalHead = { seq: number; hash: string } | null;

function csvRow(cells: readonly string[]): string {
  return cells.map(csvField).join(CSV_SEPARATOR);
}

/**
 * The closing row: seq and hash of the recorded head (what `journal verify --expect-head` takes), the export time,
 * and in `details` the verification outcome — so the printed or archived export states which journal it is.
 */
function headLine(head: JournalHead, verification: VerifyReport, generatedAt: string, pseudonymized: boolean): string {
  const details = {
    entries: verification.entries,
    intact: verification.ok,
    problems: verification.problems.length,
    pseudonymized,
  };
  const cells: string[] = Array.from({ length: CSV_COLUMNS.length }, () => '');
  cells[0] = head === null ? '0' : String(head.seq);
  cells[1] = generatedAt;
  cells[2] = CSV_HEAD_KIND;
  cells[CSV_COLUMNS.length - 2] = JSON.stringify(details);
  cells[CSV_COLUMNS.length - 1] = head?.hash ?? '';
  return csvRow(cells);
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
  return csvRow(cells);
}

/**
 * Render entries (already pseudonymised if asked) and their verification as CSV or JSON text. The CSV is for Excel
 * on a French Windows: UTF-8 BOM, `;`, CRLF, one row per entry, then a `journal-head` row (seq and hash of the head).
 * The JSON carries the head in `verification.head`.
 */
export function renderExport(
  items: readonly { entry: JournalEntry; hash: string }[],
  verification: VerifyReport,
  options: { format: ExportFormat; generatedAt: string; pseudonymized: boolean; head?: JournalHead },
): string {
  const head = options.head === undefined ? verification.head : options.head;
  if (options.format === 'csv') {
    const lines = [
      CSV_COLUMNS.join(CSV_SEPARATOR),
      ...items.map(({ entry, hash }) => csvLine(entry, hash)),
      headLine(head, verification, options.generatedAt, options.pseudonymized),
    ];
    return `\uFEFF${lines.join('\r\n')}\r\n`;
  }
  const document = {
    format: 'psc-assistant-journal',
    version: 1,
    generatedAt: options.generatedAt,
    pseudonymized: options.pseudonymized,
    verification: { ok: verification.ok, entries: verification.entries, head, problems: verification.problems },
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
    const head = prepared<[], { seq: number; hash: string }>(db, SELECT_HEAD).get() ?? null;
    const text = renderExport(items, verification, { ...options, pseudonymized: pseudo !== undefined, head });
    return { text, verification };
  })();
}
