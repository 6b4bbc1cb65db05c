import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
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

  it.each<[string, string, string]>([
    ['an empty file', '\uFEFF\r\n', 'bulk.csv-empty'],
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
