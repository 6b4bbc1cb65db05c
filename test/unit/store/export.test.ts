import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csvField, CSV_COLUMNS } from '../../../electron/services/store/export';
import { createPseudonymizer } from '../../../electron/services/store/pseudonymize';
import type { StoreService } from '../../../electron/services/store';
import { openStore, sampleEntry, tamper, tempDir } from './helpers';

const KEY = 'clé-de-pseudonymisation-2026';

/** Minimal RFC 4180 reader for the assertions (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charAt(i);
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else {
      field += c;
    }
  }
  return rows;
}

describe('store journal export', () => {
  let dir: { dir: string; cleanup: () => void };
  let file: string;
  let store: StoreService;
  beforeEach(async () => {
    dir = tempDir();
    file = join(dir.dir, 'e.db');
    store = openStore(file);
    await store.journal.append(sampleEntry(1, 'card-read'));
    await store.journal.append(sampleEntry(2));
    // The same practitioner again: pseudonyms must match within the export.
    await store.journal.append({ ...sampleEntry(1, 'mapping-written'), details: { note: '=HYPERLINK("x")' } });
  });
  afterEach(() => {
    store.close();
    dir.cleanup();
  });

  it('exports CSV with a header, one row per entry and the hash', async () => {
    const { text, verification } = await store.journal.export({ format: 'csv' });
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(4);
    const [, first] = rows;
    expect(first?.slice(0, 4)).toEqual(['1', first?.[1], 'card-read', 'admin.psc@chu-exemple.fr']);
    expect(first?.[11]).toBe('praticien.1@chu-exemple.fr');
    expect(JSON.parse(first?.[12] ?? '')).toMatchObject({ displayName: 'Dr Praticien 1' });
    expect(first?.[13]).toMatch(/^[0-9a-f]{64}$/);
    expect(verification.ok).toBe(true);
  });

  it('defuses spreadsheet formulas in CSV cells', () => {
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField('plain')).toBe('plain');
  });

  it('exports JSON with entries and the verification result', async () => {
    const { text } = await store.journal.export({ format: 'json' });
    const doc = JSON.parse(text) as {
      entries: { seq: number; hash: string }[];
      verification: { ok: boolean };
      pseudonymized: boolean;
    };
    expect(doc.entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(doc.verification.ok).toBe(true);
    expect(doc.pseudonymized).toBe(false);
  });

  it('pseudonymises UPNs, ids, card numbers, identifiers and names, stably within the export', async () => {
    const { text } = await store.journal.export({ format: 'json', pseudonymizeKey: KEY });
    for (const secret of [
      'praticien.1@',
      'admin.psc@',
      '2800000001',
      '899700434001',
      'Dr Praticien',
      '48efa06b',
      'u-1',
      '8.99700434',
    ]) {
      expect(text).not.toContain(secret);
    }
    const doc = JSON.parse(text) as {
      pseudonymized: boolean;
      entries: {
        kind: string;
        user: { upn: string };
        card: { cardNumber: string; identifier: string };
        agent: { tenantId: string };
      }[];
    };
    const [a, b, c] = doc.entries;
    expect(doc.pseudonymized).toBe(true);
    expect(a?.user.upn).toMatch(/^psd-[0-9a-f]{24}$/);
    expect(a?.user.upn).toBe(c?.user.upn);
    expect(a?.card.cardNumber).toBe(c?.card.cardNumber);
    expect(a?.user.upn).not.toBe(b?.user.upn);
    expect(a?.kind).toBe('card-read');
    expect(a?.agent.tenantId).toBe('c0ffee00-1111-2222-3333-444455556666');
  });

  it('scrubs identifying fragments from free text in details but keeps the rest', async () => {
    await store.journal.append({
      ...sampleEntry(4, 'enrollment-failed'),
      details: { error: 'graph.conflict: value already on jean.dupont@chu-exemple.fr (RPPS 10001234567)' },
    });
    const { text } = await store.journal.export({ format: 'json', pseudonymizeKey: KEY });
    expect(text).not.toContain('jean.dupont');
    expect(text).not.toContain('10001234567');
    expect(text).toMatch(/graph\.conflict: value already on psd-[0-9a-f]{24} \(RPPS psd-[0-9a-f]{24}\)/);
  });

  it('gives different pseudonyms under a different key', () => {
    expect(createPseudonymizer(KEY)('x@y.fr')).not.toBe(createPseudonymizer(`${KEY}-autre`)('x@y.fr'));
    expect(createPseudonymizer(KEY)('x@y.fr')).toBe(createPseudonymizer(KEY)('x@y.fr'));
  });

  it('refuses a short key with store.weak-key', async () => {
    await expect(store.journal.export({ format: 'csv', pseudonymizeKey: 'court' })).rejects.toMatchObject({
      code: 'store.weak-key',
    });
  });

  it('reports tampering in the export and leaves unreadable rows out', async () => {
    store.close();
    tamper(file, "UPDATE journal SET entry_json = 'x' WHERE seq = 2");
    store = openStore(file);
    const { text, verification } = await store.journal.export({ format: 'json' });
    const doc = JSON.parse(text) as { entries: { seq: number }[]; verification: { ok: boolean; problems: unknown[] } };
    expect(verification.ok).toBe(false);
    expect(doc.verification.problems).toEqual([expect.objectContaining({ seq: 2, kind: 'altered' })]);
    expect(doc.entries.map((e) => e.seq)).toEqual([1, 3]);
  });
});
