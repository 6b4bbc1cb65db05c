import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findBulkColumns } from '../../../shared/enrollment/bulk-csv';
import {
  parseBulkEnrollmentCsv,
  parseCsv,
  writeBulkResultsCsv,
  type BulkParseResult,
} from '../../../shared/enrollment';

const CERT = fileURLToPath(
  new URL('../../../../shared/certs/cpx/test-end-entity/2600301752-Auth.crt', import.meta.url),
);
const base64 = readFileSync(CERT).toString('base64');
const pem = `-----BEGIN CERTIFICATE-----\n${base64.replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----`;

function parse(text: string): BulkParseResult {
  const r = parseBulkEnrollmentCsv(text);
  if (!r.ok) {
    throw new Error(r.refusal.code);
  }
  return r.result;
}

describe('parseBulkEnrollmentCsv', () => {
  it('reads a French Excel file with FR headers, paths, base64 and a quoted multi-line PEM', () => {
    const text =
      '\uFEFFUtilisateur;Certificat\r\n' +
      'helene.dupre@chu-exemple.fr;C:\\cartes\\dupre.cer\r\n' +
      `0f8fad5b-d9cb-469f-a165-70867728950E;${base64}\r\n` +
      `marc@chu-exemple.fr;"${pem}"\r\n`;
    const result = parse(text);
    expect(result.separator).toBe(';');
    expect(result.errors).toEqual([]);
    expect(result.rows.map((r) => [r.line, r.user.kind, r.certificate.kind])).toEqual([
      [2, 'upn', 'path'],
      [3, 'object-id', 'base64'],
      [4, 'upn', 'pem'],
    ]);
    expect(result.rows[1]?.user.value).toBe('0f8fad5b-d9cb-469f-a165-70867728950e');
  });

  it('collects a typed error per bad row without stopping the others', () => {
    const text = [
      'user,certificate,comment',
      'not a upn,./a.cer,x',
      'ok@chu.fr,readme.txt,x',
      'ok@chu.fr',
      'ok2@chu.fr,/srv/cards/b.pem,x',
    ].join('\n');
    const result = parse(text);
    expect(result.errors.map((e) => [e.line, e.code])).toEqual([
      [2, 'bulk.row-invalid-user'],
      [3, 'bulk.row-invalid-certificate'],
      [4, 'bulk.row-column-count'],
    ]);
    expect(result.rows.map((r) => r.line)).toEqual([5]);
  });

  it.each<[string, string, number, number]>([
    ['Adresse mail;Fichier certificat', 'Adresse mail;Fichier certificat', 0, 1],
    ['Utilisateur (UPN);Certificat', 'Utilisateur (UPN);Certificat', 0, 1],
    ['UPN;Chemin', 'UPN;Chemin', 0, 1],
    ['Courriel;Certificat', 'Courriel;Certificat', 0, 1],
    ['accents and case: CERTIFICAT D’AUTHENTIFICATION;E-MAIL', 'CERTIFICAT D’AUTHENTIFICATION;E-MAIL', 1, 0],
    ['Chemin du certificat;Adresse électronique', 'Chemin du certificat;Adresse électronique', 1, 0],
    ['a UPN column wins over a mail column before it', 'N°;Mail;UPN;Certificat', 2, 3],
    ['a bare ID (row number) loses to a mail column', 'ID;Nom;Adresse mail;Certificat', 2, 3],
    ['fragments: Adresse mail du praticien;Certificat CPS', 'Nom;Adresse mail du praticien;Certificat CPS', 1, 2],
    ['user_principal_name;certificate-file', 'user_principal_name;certificate-file', 0, 1],
  ])('finds the columns of %s', (_label, header, user, certificate) => {
    expect(findBulkColumns(header.split(';'))).toEqual({ user, certificate });
  });

  it.each<[string, string, [number, string, string, string][]]>([
    [
      'a French Excel header with spaces',
      'Adresse mail;Fichier certificat\r\na@x.fr;a.cer\r\n',
      [[2, 'upn', 'a@x.fr', 'a.cer']],
    ],
    ['a sep=; first line', 'sep=;\r\nuser;certificate\r\na@x.fr;a.cer\r\n', [[3, 'upn', 'a@x.fr', 'a.cer']]],
    [
      'rows of empty cells and trailing empty columns',
      'user;certificate;;;\r\na@x.fr;a.cer;;;\r\n;;;;\r\n',
      [[2, 'upn', 'a@x.fr', 'a.cer']],
    ],
    [
      'an upper-case UPN, a mailto: prefix, angle brackets',
      'user;certificate\r\nA.Dupont@X.FR;a.CER\r\nmailto:b@x.fr;b.cer\r\n<c@x.fr>;c.cer\r\n',
      [
        [2, 'upn', 'A.Dupont@X.FR', 'a.CER'],
        [3, 'upn', 'b@x.fr', 'b.cer'],
        [4, 'upn', 'c@x.fr', 'c.cer'],
      ],
    ],
    [
      'a quoted path holding the separator',
      'user;certificate\r\na@x.fr;"C:\\Mes certs; 2024\\a.cer"\r\n',
      [[2, 'upn', 'a@x.fr', 'C:\\Mes certs; 2024\\a.cer']],
    ],
  ])('reads %s', (_label, text, expected) => {
    const result = parse(text);
    expect(result.errors).toEqual([]);
    expect(result.rows.map((r) => [r.line, r.user.kind, r.user.value, r.certificate.value])).toEqual(expected);
  });

  it.each<[string, string, string]>([
    ['an empty file', '\uFEFF\r\n', 'bulk.csv-empty'],
    ['a file of empty rows only', ';;;\r\n;;;\r\n', 'bulk.csv-empty'],
    ['a missing certificate column', 'user;name\na@b.fr;x\n', 'bulk.csv-missing-column'],
    ['an unterminated quote', 'user;certificate\n"a@b.fr;x.cer\n', 'bulk.csv-unterminated-quote'],
  ])('refuses %s', (_label, text, code) => {
    const r = parseBulkEnrollmentCsv(text);
    expect(r.ok ? null : r.refusal.code).toBe(code);
  });
});

describe('writeBulkResultsCsv', () => {
  it('writes results sorted by line with values joined, readable back', () => {
    const text = writeBulkResultsCsv([
      {
        line: 3,
        user: 'b@chu.fr',
        status: 'error',
        values: [],
        code: 'mapping.limit-exceeded',
        message: 'Trop de valeurs',
      },
      {
        line: 2,
        user: 'a@chu.fr',
        status: 'enrolled',
        values: ['X509:<PN>x', 'X509:<SKI>AB'],
        code: null,
        message: null,
      },
    ]);
    const parsed = parseCsv(text);
    expect(parsed.ok ? parsed.table.rows.map((r) => r.cells) : null).toEqual([
      ['line', 'user', 'status', 'values', 'code', 'message'],
      ['2', 'a@chu.fr', 'enrolled', 'X509:<PN>x | X509:<SKI>AB', '', ''],
      ['3', 'b@chu.fr', 'error', '', 'mapping.limit-exceeded', 'Trop de valeurs'],
    ]);
  });
});
