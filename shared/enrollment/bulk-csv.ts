/**
 * Bulk enrollment from a CSV file: one row per practitioner (user, certificate). Each row is validated on its own,
 * so one bad row never stops the others; results go back as CSV.
 */
import { z } from 'zod';
import type { EnrollmentErrorCode, Refusal } from './codes';
import { parseCsv, writeCsv } from './csv';
import type { CsvSeparator } from './csv';

/**
 * Accepted header names, folded (accents, case, spaces and punctuation removed: `Adresse mail` → `adressemail`,
 * `Utilisateur (UPN)` → `utilisateurupn`), French and English, as hospital spreadsheets name them. Earlier aliases win
 * when a file has several such columns (a UPN column over a mail column; a bare `ID`, often a row number, last).
 */
const USER_HEADERS = [
  'userprincipalname',
  'upn',
  'utilisateurupn',
  'upnutilisateur',
  'upnentra',
  'principalname',
  'nomprincipal',
  'user',
  'users',
  'utilisateur',
  'utilisateurs',
  'compte',
  'compteutilisateur',
  'compteentra',
  'account',
  'useraccount',
  'nomdutilisateur',
  'nomutilisateur',
  'username',
  'login',
  'objectid',
  'identifiantobjet',
  'identifiantdobjet',
  'mail',
  'email',
  'courriel',
  'adressemail',
  'adresseemail',
  'adressecourriel',
  'adressemessagerie',
  'adresseelectronique',
  'emailaddress',
  'identifiant',
  'id',
];
const CERT_HEADERS = [
  'certificate',
  'certificates',
  'certificat',
  'certificats',
  'cert',
  'certificatefile',
  'certificatepath',
  'fichiercertificat',
  'fichierducertificat',
  'fichierdecertificat',
  'cheminducertificat',
  'chemincertificat',
  'chemindecertificat',
  'certificatauthentification',
  'certificatdauthentification',
  'fichier',
  'chemin',
  'path',
  'file',
  'pem',
  'base64',
];
/** Fragments that name a column when no header matches exactly (`Adresse mail du praticien`, `Certificat CPS`). */
const USER_FRAGMENTS = ['userprincipalname', 'upn', 'courriel', 'mail', 'utilisateur'];
const CERT_FRAGMENTS = ['certificat', 'certificate'];

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UPN =
  /^[^\s@"'<>(),;:\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const PEM = /^-----BEGIN (?:CERTIFICATE|PKCS7)-----[\s\S]+-----END (?:CERTIFICATE|PKCS7)-----\s*$/;
const BASE64 = /^[A-Za-z0-9+/\s]+={0,2}$/;
const PATH = /^(?:[A-Za-z]:[\\/]|\\\\|\/|\.{1,2}[\\/])?[^<>"|?*\0]*\.(?:cer|crt|der|pem|p7b|p7c)$/i;

/** The user cell: a UPN or an object id. */
export const bulkUserSchema = z.union([
  z
    .string()
    .regex(GUID)
    .transform((id) => ({ kind: 'object-id' as const, value: id.toLowerCase() })),
  z
    .string()
    .max(113)
    .regex(UPN)
    .transform((upn) => ({ kind: 'upn' as const, value: upn })),
]);

/** The certificate cell: inline PEM, inline base64 DER (starts with `MII`, a DER SEQUENCE), or a file path. */
export const bulkCertificateSchema = z.union([
  z
    .string()
    .regex(PEM)
    .transform((pem) => ({ kind: 'pem' as const, value: pem })),
  z
    .string()
    .min(200)
    .regex(BASE64)
    .refine((b) => b.startsWith('MI'))
    .transform((b) => ({ kind: 'base64' as const, value: b.replace(/\s+/g, '') })),
  z
    .string()
    .max(1024)
    .regex(PATH)
    .transform((path) => ({ kind: 'path' as const, value: path })),
]);

/** A valid row. */
export type BulkRow = {
  line: number;
  user: z.infer<typeof bulkUserSchema>;
  certificate: z.infer<typeof bulkCertificateSchema>;
};

/** A row that cannot be processed, with its typed error. */
export type BulkRowError = { line: number; code: EnrollmentErrorCode; details: Record<string, unknown> };

/** Parsed file: valid rows and per-row errors, in file order. */
export type BulkParseResult = { separator: CsvSeparator; rows: BulkRow[]; errors: BulkRowError[] };

/** A header cell folded for comparison: no accents, no case, letters and digits only. */
export function headerKey(cell: string): string {
  return cell
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

/** The column of each role: an exact alias first, else a header containing a telling fragment; never one column twice. */
export function findBulkColumns(header: readonly string[]): { user: number; certificate: number } {
  const keys = header.map(headerKey);
  const pick = (aliases: readonly string[], fragments: readonly string[], taken: number): number => {
    const alias = aliases.find((a) => keys.some((k, i) => i !== taken && k === a));
    const exact = alias === undefined ? -1 : keys.findIndex((k, i) => i !== taken && k === alias);
    return exact >= 0
      ? exact
      : keys.findIndex((k, i) => i !== taken && k !== '' && fragments.some((f) => k.includes(f)));
  };
  const certificate = pick(CERT_HEADERS, CERT_FRAGMENTS, -1);
  return { user: pick(USER_HEADERS, USER_FRAGMENTS, certificate), certificate };
}

/** The user cell as written, tidied: spaces, a `mailto:` prefix (a mail pasted from Outlook), angle brackets. */
function userCell(cell: string): string {
  return cell
    .trim()
    .replace(/^mailto:/i, '')
    .replace(/^<(.*)>$/, '$1')
    .trim();
}

/**
 * Parse a bulk CSV. File-level problems (empty, unterminated quote, missing column) are refusals; row problems
 * are collected per row.
 */
export function parseBulkEnrollmentCsv(
  text: string,
): { ok: true; result: BulkParseResult } | { ok: false; refusal: Refusal } {
  const parsed = parseCsv(text);
  if (!parsed.ok) {
    return parsed;
  }
  const [header, ...data] = parsed.table.rows;
  if (header === undefined) {
    return { ok: false, refusal: { code: 'bulk.csv-empty', details: {} } };
  }
  const { user: userIndex, certificate: certIndex } = findBulkColumns(header.cells);
  if (userIndex < 0 || certIndex < 0) {
    return {
      ok: false,
      refusal: {
        code: 'bulk.csv-missing-column',
        details: {
          missing: [...(userIndex < 0 ? ['user'] : []), ...(certIndex < 0 ? ['certificate'] : [])],
          header: header.cells,
        },
      },
    };
  }
  const rows: BulkRow[] = [];
  const errors: BulkRowError[] = [];
  for (const { line, cells } of data) {
    if (cells.length < Math.max(userIndex, certIndex) + 1) {
      errors.push({
        line,
        code: 'bulk.row-column-count',
        details: { expected: header.cells.length, got: cells.length },
      });
      continue;
    }
    const user = bulkUserSchema.safeParse(userCell(cells[userIndex] ?? ''));
    const certificate = bulkCertificateSchema.safeParse((cells[certIndex] ?? '').trim());
    if (!user.success) {
      errors.push({ line, code: 'bulk.row-invalid-user', details: { value: (cells[userIndex] ?? '').slice(0, 120) } });
    } else if (!certificate.success) {
      errors.push({
        line,
        code: 'bulk.row-invalid-certificate',
        details: { preview: (cells[certIndex] ?? '').slice(0, 60) },
      });
    } else {
      rows.push({ line, user: user.data, certificate: certificate.data });
    }
  }
  return { ok: true, result: { separator: parsed.table.separator, rows, errors } };
}

/** Outcome of one row after processing, for the results file. */
export type BulkResult = {
  line: number;
  user: string;
  status: 'enrolled' | 'unchanged' | 'synced-instructions' | 'error' | 'skipped';
  values: readonly string[];
  code: string | null;
  message: string | null;
};

/** Results CSV: same separator as the input by default, BOM for Excel, values joined by ` | `. */
export function writeBulkResultsCsv(results: readonly BulkResult[], options: { separator?: ';' | ',' } = {}): string {
  const header = ['line', 'user', 'status', 'values', 'code', 'message'];
  const rows = [...results]
    .sort((a, b) => a.line - b.line)
    .map((r) => [String(r.line), r.user, r.status, r.values.join(' | '), r.code ?? '', r.message ?? '']);
  return writeCsv([header, ...rows], { separator: options.separator ?? ';', bom: true });
}
