/**
 * RFC 4180 CSV reading and writing, with what French Excel produces: `;` separators, a UTF-8 BOM or Windows-1252
 * bytes (« CSV (séparateur : point-virgule) »), CRLF, an optional `sep=;` first line, rows of empty cells.
 */
import type { Refusal } from './codes';

/** Bounds: a desk batch is a few hundred rows; anything far beyond is a wrong file. `maxRows` counts the header. */
export const CSV_LIMITS = { maxChars: 5 * 1024 * 1024, maxRows: 10_001 } as const;

/** Separators a file may use (`|` only when a `sep=|` line asks for it). */
export type CsvSeparator = ';' | ',' | '\t' | '|';

/** Parsed rows with the physical line where each starts (1-based, header included). */
export type CsvTable = { separator: CsvSeparator; rows: { line: number; cells: string[] }[] };

/** Pick the separator from the first line (outside quotes): the most frequent of `;`, `,` and tab; `;` wins ties. */
export function detectSeparator(text: string): CsvSeparator {
  const counts = { ';': 0, ',': 0, '\t': 0 };
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

/** Windows-1252 code points of bytes 0x80–0x9F (the rest is Latin-1); unassigned bytes stay as is, as browsers do. */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d,
  0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d,
  0x017e, 0x0178,
];

/** Decode Windows-1252 bytes (done by hand: the result must not depend on the ICU data a runtime ships). */
export function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4096) {
    const codes = Array.from(bytes.subarray(i, i + 4096), (b) =>
      b >= 0x80 && b <= 0x9f ? (CP1252_HIGH[b - 0x80] ?? b) : b,
    );
    out += String.fromCharCode(...codes);
  }
  return out;
}

/** Encodings a CSV file is read in. */
export type CsvEncoding = 'utf-8' | 'utf-16le' | 'windows-1252';

/**
 * Decode the bytes of a CSV file: UTF-16 with its BOM (Excel « Texte Unicode »), strict UTF-8 (BOM or not), else
 * Windows-1252 — what Excel writes for « CSV (séparateur : point-virgule) » on a French Windows, where `é` is one
 * byte that UTF-8 would turn into `\uFFFD` and a path like `C:\Médecins\a.cer` would no longer exist.
 */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: decodeWindows1252(bytes), encoding: 'windows-1252' };
  }
}

/** A first line `sep=;` (Excel's own hint) names the separator; the line is not a header. */
const SEP_LINE = /^sep=([;,\t|])[ \t]*(?:\r\n|\r|\n|$)/i;

/**
 * Parse CSV text (BOM stripped; separator from a leading `sep=X` line, else detected). Blank lines and rows whose
 * cells are all empty (`;;;;`, left by Excel after deleted rows) are skipped; quoted fields may span lines and
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
  const sepLine = SEP_LINE.exec(text);
  const separator = sepLine === null ? detectSeparator(text) : (sepLine[1] as CsvSeparator);
  const rows: CsvTable['rows'] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  // Line numbers stay physical: the `sep=` line is line 1 and the header line 2, as the agent sees them in an editor.
  let line = sepLine === null ? 1 : 2;
  let rowLine = line;
  let i = sepLine === null ? 0 : sepLine[0].length;
  const endRow = (): void => {
    cells.push(cell);
    if (cells.some((c) => c.trim() !== '')) {
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
