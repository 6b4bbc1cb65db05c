import { describe, expect, it } from 'vitest';
import { CSV_LIMITS, csvCell, detectSeparator, parseCsv, writeCsv } from '../../../shared/enrollment';

function rows(text: string): string[][] {
  const r = parseCsv(text);
  if (!r.ok) {
    throw new Error(r.refusal.code);
  }
  return r.table.rows.map((x) => x.cells);
}

describe('parseCsv', () => {
  it.each<[string, string, string[][]]>([
    [
      'French Excel: BOM, semicolons, CRLF',
      '\uFEFFuser;certificate\r\na@b.fr;x.cer\r\n',
      [
        ['user', 'certificate'],
        ['a@b.fr', 'x.cer'],
      ],
    ],
    [
      'commas, LF, no final newline',
      'user,certificate\na@b.fr,x.cer',
      [
        ['user', 'certificate'],
        ['a@b.fr', 'x.cer'],
      ],
    ],
    [
      'quoted separator, doubled quote, newline in a field',
      'a;b\n"x;y";"say ""hi""\nthere"\n',
      [
        ['a', 'b'],
        ['x;y', 'say "hi"\nthere'],
      ],
    ],
    [
      'blank lines skipped',
      'a;b\n\n\r\nc;d\n',
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ],
    [
      'empty cells kept',
      'a;b;c\n;;\n',
      [
        ['a', 'b', 'c'],
        ['', '', ''],
      ],
    ],
    [
      'tabs',
      'a\tb\nc\td\n',
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ],
  ])('reads %s', (_label, text, expected) => {
    expect(rows(text)).toEqual(expected);
  });

  it('records the physical line of each row', () => {
    const r = parseCsv('h;x\n"multi\nline";1\nnext;2\n');
    expect(r.ok ? r.table.rows.map((x) => x.line) : null).toEqual([1, 2, 4]);
  });

  it.each<[string, string, string]>([
    ['an unterminated quote', 'a;b\n"oops;1\n', 'bulk.csv-unterminated-quote'],
    ['a file over the size limit', 'x'.repeat(CSV_LIMITS.maxChars + 1), 'bulk.csv-too-large'],
    ['too many rows', 'a\n'.repeat(CSV_LIMITS.maxRows + 2), 'bulk.too-many-rows'],
  ])('refuses %s', (_label, text, code) => {
    const r = parseCsv(text);
    expect(r.ok ? null : r.refusal.code).toBe(code);
  });

  it.each<[string, string]>([
    ['a;b,c', ';'],
    ['a,b,c', ','],
    ['"x;y",b,c', ','],
    ['a\tb\tc', '\t'],
    ['single', ';'],
  ])('detects the separator of %j as %j', (text, separator) => {
    expect(detectSeparator(text)).toBe(separator);
  });
});

describe('writeCsv', () => {
  it.each<[string, string]>([
    ['plain', 'plain'],
    ['a;b', '"a;b"'],
    ['say "hi"', '"say ""hi"""'],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['+33 1', "'+33 1"],
    ['@SUM(A1)', "'@SUM(A1)"],
  ])('writes cell %j as %j', (value, cell) => {
    expect(csvCell(value, ';')).toBe(cell);
  });

  it('round-trips through the parser', () => {
    const data = [
      ['h1', 'h2'],
      ['a;b', 'line\nbreak'],
      ['é', '"q"'],
    ];
    const text = writeCsv(data, { separator: ';' });
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(rows(text)).toEqual(data);
  });
});
