/**
 * The optional renewal column of a bulk CSV: a row marked as a renewal replaces the values of the holder's previous
 * card (same forms) instead of adding next to them, as the desk does on a confirmed renewal.
 */
import { parseCsv } from './csv';

const RENEWAL_HEADERS = ['renouvellement', 'renewal', 'renew', 'isrenewal'];
const YES = ['oui', 'o', 'yes', 'y', 'true', 'vrai', '1', 'x'];

function fold(cell: string): string {
  return cell
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

/** True when a renewal cell says yes (`oui`, `yes`, `1`, `x`…); anything else, empty included, is no. */
export function isRenewalCell(cell: string): boolean {
  return YES.includes(fold(cell));
}

/** Lines (1-based, as the bulk parser numbers them) marked as renewals; empty when the file has no such column. */
export function renewalLines(csvText: string): Set<number> {
  const parsed = parseCsv(csvText);
  if (!parsed.ok) {
    return new Set();
  }
  const [header, ...data] = parsed.table.rows;
  const index = header?.cells.findIndex((c) => RENEWAL_HEADERS.includes(fold(c))) ?? -1;
  if (index < 0) {
    return new Set();
  }
  return new Set(data.filter((row) => isRenewalCell(row.cells[index] ?? '')).map((row) => row.line));
}
