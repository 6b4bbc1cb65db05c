/**
 * RFC 4180 CSV reading and writing, with what French Excel produces: `;` separators, a UTF-8 BOM, CRLF.
 */
import type { Refusal } from './codes';

/** Bounds: a desk batch is a few hundred rows; anything far beyond is a wrong file. `maxRows` counts the header. */
export const CSV_LIMITS = { maxChars: 5 * 1024 * 1024, maxRows: 10_001 } as const;

/** Parsed rows with the physical line where each starts (1-based, header included). */
export type CsvTable = { separator: ';' | ',' | '\t'; rows: { line: number; cells: string[] }[] };

/** Pick the separator from the first line (outside quotes): the most frequent of `;`, `,` and tab; `;` wins ties. */
export function detectSeparator(text: string): CsvTable['separator'] {
  const counts: Record<CsvTable['separator'], number> = { ';': 0, ',': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') {
      quoted = !quoted;
    } else if (!quoted && (ch === '\n' || ch === '\r')) {
      break;
    } else if (!quoted && (ch === ';' || ch === ',' || ch === '\t')) {
      counts[ch] += 1;
    }
  }
  if (counts['\t'] > counts[';'] && counts['\t'] > counts[',']) {
    return '\t';
  }
  return counts[','] > counts[';'] ? ',' : ';';
}

/**
 * Parse CSV text (BOM stripped, separator detected). Blank lines are skipped; quoted fields may span lines and
 * contain `""`. Refuses an unterminated quote, an oversized file or too many rows.
 */
export function parseCsv(input: string): { ok: true; table: CsvTable } | { ok: false; refusal: Refusal } {
  if (input.length > CSV_LIMITS.maxChars) {
    return {
      ok: false,
      refusal: { code: 'bulk.csv-too-large', details: { chars: input.length, maxChars: CSV_LIMITS.maxChars } },
    };
  }
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const separator = detectSeparator(text);
  const rows: CsvTable['rows'] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let i = 0;
  const endRow = (): void => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0]?.trim() === '')) {
      rows.push({ line: rowLine, cells });
    }
    cells = [];
    cell = '';
  };
  while (i < text.length) {
    const ch = text.charAt(i);
    if (quoted) {
      if (ch === '"' && text.charAt(i + 1) === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (ch === '"') {
        quoted = false;
      } else {
        if (ch === '\n') {
          line += 1;
        }
        cell += ch;
      }
      i += 1;
      continue;
    }
    if (ch === '"' && cell.trim() === '') {
      // A quote opens a quoted field only at its start (leading spaces tolerated, as Excel does).
      quoted = true;
      cell = '';
    } else if (ch === separator) {
      cells.push(cell);
      cell = '';
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text.charAt(i + 1) === '\n') {
        i += 1;
      }
      endRow();
      line += 1;
      rowLine = line;
    } else {
      cell += ch;
    }
    if (rows.length > CSV_LIMITS.maxRows) {
      return { ok: false, refusal: { code: 'bulk.too-many-rows', details: { maxRows: CSV_LIMITS.maxRows } } };
    }
    i += 1;
  }
  if (quoted) {
    return { ok: false, refusal: { code: 'bulk.csv-unterminated-quote', details: { line: rowLine } } };
  }
  if (cell !== '' || cells.length > 0) {
    endRow();
  }
  if (rows.length > CSV_LIMITS.maxRows) {
    return { ok: false, refusal: { code: 'bulk.too-many-rows', details: { maxRows: CSV_LIMITS.maxRows } } };
  }
  return { ok: true, table: { separator, rows } };
}

/** Characters that make a spreadsheet read a cell as a formula (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Quote a cell when needed; neutralise formula-looking cells with a leading `'`.
 *
 * Any candidate separator (`;`, `,`, tab) is quoted, not only the one in use, so that a reader auto-detecting the
 * separator (ours, Excel's) cannot mistake a cell's content for the delimiter.
 */
export function csvCell(value: string, separator: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /["\r\n;,\t]/.test(safe) || safe.includes(separator) || safe !== safe.trim()
    ? `"${safe.replace(/"/g, '""')}"`
    : safe;
}

/** Write rows as CSV (CRLF, optional BOM so Excel reads UTF-8 accents). */
export function writeCsv(
  rows: readonly (readonly string[])[],
  options: { separator?: ';' | ','; bom?: boolean } = {},
): string {
  const separator = options.separator ?? ';';
  const body = rows.map((r) => r.map((c) => csvCell(c, separator)).join(separator)).join('\r\n');
  return `${options.bom === false ? '' : '\uFEFF'}${body}\r\n`;
}
