import { describe, expect, it } from 'vitest';
import { CSV_LIMITS, csvCell, detectSeparator, parseCsv, writeCsv } from '../../../shared/enrollment';
import { decodeCsvBytes, decodeWindows1252 } from '../../../shared/enrollment/csv';

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
      'empty cells kept in a row that has a value',
      'a;b;c\n;x;\n',
      [
        ['a', 'b', 'c'],
        ['', 'x', ''],
      ],
    ],
    [
      'rows of empty cells skipped (Excel after deleted rows), trailing empty columns kept',
      'user;certificate;;;\r\na@x.fr;a.cer;;;\r\n;;;;\r\n ; ;\r\n',
      [
        ['user', 'certificate', '', '', ''],
        ['a@x.fr', 'a.cer', '', '', ''],
      ],
    ],
    [
      'a sep=; line: skipped, its separator used',
      'sep=;\r\nuser;certificate\r\na@x.fr;a.cer\r\n',
      [
        ['user', 'certificate'],
        ['a@x.fr', 'a.cer'],
      ],
    ],
    [
      'a sep=, line wins over a detection that would say ;',
      'SEP=,\nuser;x,certificate\na;b,c.cer\n',
      [
        ['user;x', 'certificate'],
        ['a;b', 'c.cer'],
      ],
    ],
    [
      'a sep=| line',
      '\uFEFFsep=|\nuser|certificate\na@x.fr|"C:\\a|b.cer"\n',
      [
        ['user', 'certificate'],
        ['a@x.fr', 'C:\\a|b.cer'],
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

  it('counts the sep= line and skipped empty rows in the physical line numbers', () => {
    const r = parseCsv('sep=;\r\nh;x\r\n;\r\na;1\r\n');
    expect(r.ok ? [r.table.separator, r.table.rows.map((x) => x.line)] : null).toEqual([';', [2, 4]]);
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

/** Bytes as a Windows-1252 encoder would write them (every character used here is in Latin-1 or the 0x80 block). */
function cp1252(text: string): Uint8Array {
  const high: Record<string, number> = { '€': 0x80, '’': 0x92, œ: 0x9c, Œ: 0x8c, '…': 0x85 };
  return Uint8Array.from(text, (ch) => high[ch] ?? ch.charCodeAt(0));
}

describe('decodeCsvBytes', () => {
  it.each<[string, Uint8Array, string, string]>([
    [
      'UTF-8 with a BOM',
      new TextEncoder().encode('\uFEFFuser;C:\\Médecins\\a.cer'),
      'utf-8',
      'user;C:\\Médecins\\a.cer',
    ],
    ['UTF-8 without a BOM', new TextEncoder().encode('Hélène;Œuvre'), 'utf-8', 'Hélène;Œuvre'],
    ['plain ASCII', new TextEncoder().encode('a;b'), 'utf-8', 'a;b'],
    [
      'Windows-1252 from a French Excel (é one byte)',
      cp1252('user;certificate\r\na@x.fr;C:\\Médecins\\a.cer\r\n'),
      'windows-1252',
      'user;certificate\r\na@x.fr;C:\\Médecins\\a.cer\r\n',
    ],
    ['Windows-1252 with the 0x80 block (’ œ € …)', cp1252('l’œil coûte 5 € …'), 'windows-1252', 'l’œil coûte 5 € …'],
    [
      'UTF-16LE with its BOM (Excel « Texte Unicode »)',
      Uint8Array.from([0xff, 0xfe, ...Array.from('é\tb').flatMap((c) => [c.charCodeAt(0), 0])]),
      'utf-16le',
      'é\tb',
    ],
  ])('reads %s', (_label, bytes, encoding, text) => {
    expect(decodeCsvBytes(bytes)).toEqual({ text, encoding });
  });

  it('maps the whole 0xA0–0xFF range to Latin-1 and keeps unassigned 0x81 as is', () => {
    const bytes = Uint8Array.from({ length: 96 }, (_v, i) => 0xa0 + i);
    expect(decodeWindows1252(bytes)).toBe(String.fromCharCode(...bytes));
    expect(decodeWindows1252(Uint8Array.from([0x81, 0x8a]))).toBe('\u0081Š');
  });

  it('keeps a cp1252 path intact through the CSV parser', () => {
    const r = parseCsv(decodeCsvBytes(cp1252('user;certificate\r\na@x.fr;C:\\Médecins\\a.cer\r\n')).text);
    expect(r.ok ? r.table.rows[1]?.cells : null).toEqual(['a@x.fr', 'C:\\Médecins\\a.cer']);
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
