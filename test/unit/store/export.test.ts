import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csvField, CSV_COLUMNS, CSV_HEAD_KIND } from '../../../electron/services/store/export';
import { createPseudonymizer, pseudonymizeEntry, scrubText } from '../../../electron/services/store/pseudonymize';
import type { JournalEntry } from '../../../electron/services/store/journal-entry';
import type { StoreService } from '../../../electron/services/store';
import { openStore, sampleEntry, tamper, tempDir } from './helpers';

const KEY = 'clé-de-pseudonymisation-2026';

/** Minimal RFC 4180 reader for the assertions (`;`, quoted fields, doubled quotes, CRLF); the BOM must be there. */
function parseCsv(withBom: string): string[][] {
  expect(withBom.startsWith('\uFEFF')).toBe(true);
  const text = withBom.slice(1);
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
    } else if (c === ';') {
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

  it('exports CSV for a French Excel: BOM, `;`, CRLF, a header, one row per entry with its hash, then the head', async () => {
    const { text, verification } = await store.journal.export({ format: 'csv' });
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(5);
    const [, first, , third, head] = rows;
    expect(first?.slice(0, 4)).toEqual(['1', first?.[1], 'card-read', 'admin.psc@chu-exemple.fr']);
    expect(first?.[11]).toBe('praticien.1@chu-exemple.fr');
    expect(JSON.parse(first?.[12] ?? '')).toMatchObject({ displayName: 'Dr Praticien 1' });
    expect(first?.[13]).toMatch(/^[0-9a-f]{64}$/);
    expect(verification.ok).toBe(true);
    // The head row: seq and hash of the last entry as the store recorded them, and what verification found.
    expect(head?.[0]).toBe('3');
    expect(head?.[2]).toBe(CSV_HEAD_KIND);
    expect(head?.[13]).toBe(third?.[13]);
    expect(head?.[13]).toBe(verification.head?.hash);
    expect(JSON.parse(head?.[12] ?? '')).toEqual({ entries: 3, intact: true, problems: 0, pseudonymized: false });
  });

  it('puts the recorded head in the JSON export too', async () => {
    const { text, verification } = await store.journal.export({ format: 'json' });
    const doc = JSON.parse(text) as { verification: { head: { seq: number; hash: string } } };
    expect(doc.verification.head).toEqual({ seq: 3, hash: verification.head?.hash });
  });

  it.each<[string, string]>([
    ['=1+1', "'=1+1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['a,"b"', '"a,""b"""'],
    ['a;b', '"a;b"'],
    ['ligne\r\nsuivante', '"ligne\r\nsuivante"'],
    ['Hélène', 'Hélène'],
    ['plain', 'plain'],
  ])('writes CSV cell %j as %j (formulas defused, separators quoted)', (value, cell) => {
    expect(csvField(value)).toBe(cell);
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

  it('scrubs names out of certificate subjects and PowerShell lines (DN attribute values, -Identity)', () => {
    const pseudo = createPseudonymizer(KEY);
    const entry: JournalEntry = {
      seq: 1,
      at: '2026-01-01T00:00:00.000Z',
      kind: 'ad-instruction-noted',
      agent: { upn: 'a@x.fr', oid: 'o', tenantId: 't' },
      user: { id: 'u', upn: 'jean.dupont@chu.fr' },
      details: {
        powershell:
          "Set-ADUser -Identity 'jdupont' -Add @{altSecurityIdentities=@('X509:<S>C=FR,title=Médecin,SN=DUPONT,GN=JEAN,CN=810100000001')}",
        note: 'sujet : CN=JEAN DUPONT + givenName=Jean, O=CHU, 2.5.4.4=DUPONT',
        query: 'Jean Dupont',
        reason: 'lost',
        error: 'enrollment.uniqueness-conflict',
      },
    };
    const out = JSON.stringify(pseudonymizeEntry(entry, pseudo).details);
    for (const secret of ['DUPONT', 'JEAN', 'Jean', 'jdupont', '810100000001']) {
      expect(out).not.toContain(secret);
    }
    // The shape stays readable: attribute names, profession, organisation, codes.
    expect(out).toContain("Set-ADUser -Identity 'psd-");
    expect(out).toContain('X509:<S>C=FR,title=Médecin,SN=psd-');
    expect(out).toContain(',GN=psd-');
    expect(out).toContain('O=CHU');
    expect(out).toContain('"reason":"lost"');
    expect(out).toContain('"error":"enrollment.uniqueness-conflict"');
  });

  it.each<[string, string]>([
    ['CN=DUPONT JEAN,OU=Medecins,DC=chu,DC=fr', `CN=P,OU=Medecins,DC=chu,DC=fr`],
    ['cn=dupont\\, jean)', `cn=P)`],
    ['E=jean.dupont@chu.fr', `E=P`],
    ['scene=1 type=x', 'scene=1 type=x'],
    [
      "Set-ADUser -Identity 'CN=Dupont\\, Jean,OU=Médecins,DC=chu,DC=fr' -Add @{x=@('y')}",
      "Set-ADUser -Identity 'CN=P,OU=Médecins,DC=chu,DC=fr' -Add @{x=@('y')}",
    ],
    [
      "Set-ADUser -Identity 'CN=O''Brien Anne,OU=Users,DC=chu,DC=fr'",
      "Set-ADUser -Identity 'CN=P,OU=Users,DC=chu,DC=fr'",
    ],
    ["Set-ADUser -Identity 'adupont' -Remove", "Set-ADUser -Identity 'P' -Remove"],
    ['Set-ADUser -Identity adupont', 'Set-ADUser -Identity P'],
    [
      "Get-ADUser -LDAPFilter '(userPrincipalName=anne.obrien@chu.fr)' | Set-ADUser",
      "Get-ADUser -LDAPFilter '(userPrincipalName=P)' | Set-ADUser",
    ],
  ])('scrubText(%j) keeps the DN shape', (text, shape) => {
    const pseudo = createPseudonymizer(KEY);
    expect(scrubText(text, pseudo).replace(/psd-[0-9a-f]{24}/g, 'P')).toBe(shape);
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
