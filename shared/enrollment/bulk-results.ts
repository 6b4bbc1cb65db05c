/**
 * The per-row results file of a bulk import, written for the agent who opens it in Excel: headers, statuses and
 * messages in the agent's language (from the UI catalog, not raw codes), the account holding a conflicting value,
 * `;` separators and a BOM. The error code stays in the last column for support.
 */
import { writeCsv } from './csv';
import type { BulkOutcome } from './bulk-status';

/** A UI catalog (`shared/i18n/fr.ts`, `en.ts`): nested objects of strings. */
export type MessageCatalog = { readonly [key: string]: string | MessageCatalog };

/** An error as the contract carries it. */
export type ResultError = { code: string; messageKey: string; details?: Record<string, unknown> | undefined };

/** One line of the results file (a contract `BulkResultRow` is one). */
export type BulkResultLine = {
  line: number;
  source: string;
  user: string;
  userPrincipalName: string | null;
  status: BulkOutcome;
  values: readonly string[];
  altSecurityIdentities: readonly string[];
  error: ResultError | null;
};

/** Columns, in file order (their titles are `bulk.resultsFile.columns.<name>` in the catalog). */
export const RESULTS_COLUMNS = [
  'line',
  'source',
  'user',
  'userPrincipalName',
  'status',
  'message',
  'conflictWith',
  'values',
  'altSecurityIdentities',
  'code',
] as const;

function lookup(catalog: MessageCatalog, key: string): string | undefined {
  let node: string | MessageCatalog | undefined = catalog;
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') {
      return undefined;
    }
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

function paramText(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  if (Array.isArray(value)) {
    return value.map(paramText).join(', ');
  }
  return '…';
}

/**
 * The catalog text of `key` with `{{name}}` replaced from `params`, as the UI's i18next shows it: a missing parameter
 * reads `…`; `count` picks a `_one`/`_other` variant when the catalog has them. An unknown key comes back as is.
 */
export function translate(catalog: MessageCatalog, key: string, params: Record<string, unknown> = {}): string {
  const count = params.count;
  const plural = typeof count === 'number' ? lookup(catalog, `${key}_${count === 1 ? 'one' : 'other'}`) : undefined;
  const text = plural ?? lookup(catalog, key);
  if (text === undefined) {
    return key;
  }
  return text.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (_m, name: string) =>
    name in params ? paramText(params[name]) : '…',
  );
}

function record(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/**
 * Who already holds the value a row could not write: the accounts named by a uniqueness conflict, or the earlier
 * row of the same file that takes the value or the user. Empty when the error is not a conflict.
 */
export function conflictHolders(error: ResultError | null, catalog: MessageCatalog): string[] {
  if (error === null) {
    return [];
  }
  const details = error.details ?? {};
  const holders: string[] = [];
  const conflicts: unknown = details.conflicts;
  if (Array.isArray(conflicts)) {
    for (const c of conflicts.slice(0, 20)) {
      const holder = record(c);
      const name = holder?.userPrincipalName ?? holder?.userId;
      if (typeof name === 'string' && name !== '' && !holders.includes(name)) {
        holders.push(name);
      }
    }
  }
  const firstLine = details.firstLine;
  if (typeof firstLine === 'number') {
    holders.push(translate(catalog, 'bulk.resultsFile.conflictLine', { line: firstLine }));
  }
  return holders;
}

/** What the row's message says: the translated error, or what the outcome means for the agent. */
export function resultMessage(line: BulkResultLine, catalog: MessageCatalog): string {
  if (line.error !== null) {
    return translate(catalog, line.error.messageKey, { line: line.line, ...(line.error.details ?? {}) });
  }
  return translate(catalog, `bulk.resultsFile.messages.${line.status}`, {
    count: line.values.length,
    values: line.altSecurityIdentities,
  });
}

/**
 * The per-row results file: every row of the import (processed or not), in file order, `;`-separated with a BOM for
 * Excel; headers, statuses and messages from `catalog`; several values joined by ` | `.
 */
export function writeBulkJobResultsCsv(lines: readonly BulkResultLine[], catalog: MessageCatalog): string {
  const header = RESULTS_COLUMNS.map((c) => translate(catalog, `bulk.resultsFile.columns.${c}`));
  const rows = [...lines]
    .sort((a, b) => a.line - b.line || a.source.localeCompare(b.source))
    .map((r) => [
      String(r.line),
      r.source,
      r.user,
      r.userPrincipalName ?? '',
      translate(catalog, `bulk.statuses.${r.status}`),
      resultMessage(r, catalog),
      conflictHolders(r.error, catalog).join(' | '),
      r.values.join(' | '),
      r.altSecurityIdentities.join(' | '),
      r.error?.code ?? '',
    ]);
  return writeCsv([header, ...rows], { separator: ';', bom: true });
}

/** The results file name next to the source: `lot.csv` → `lot-resultats-20261125-1405.csv` (`results` in English). */
export function resultsFileName(sourceLabel: string, at: Date, catalog: MessageCatalog): string {
  const stem = sourceLabel.replace(/\.[^.]*$/, '').replace(/[^\p{L}\p{N}._-]+/gu, '_') || 'import';
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${String(at.getFullYear())}${pad(at.getMonth() + 1)}${pad(at.getDate())}-${pad(at.getHours())}${pad(at.getMinutes())}${pad(at.getSeconds())}`;
  return `${stem}-${translate(catalog, 'bulk.resultsFile.fileSuffix')}-${stamp}.csv`;
}
