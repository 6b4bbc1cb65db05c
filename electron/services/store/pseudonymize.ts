import { createHmac } from 'node:crypto';
import type { JsonValue } from './canonical-json';
import { storeError } from './errors';
import type { JournalEntry } from './journal-entry';

/** Shortest key accepted: a short key would let anyone rebuild the table of pseudonyms by brute force. */
export const MIN_KEY_LENGTH = 16;

/**
 * Keys inside `details` whose string values identify a person or a card (`query`: what the agent typed to find the
 * practitioner, usually a name; `subject`/`dn`: a certificate subject or an AD distinguished name).
 */
const PERSONAL_DETAIL_KEY =
  /upn|name|mail|cardnumber|identifier|serial|ski|rpps|adeli|oid|userid|certificateuserid|query|subject|^dn$|holder|identity|samaccount/i;

/** A function turning an identifying string into a stable pseudonym. */
export type Pseudonymizer = (value: string) => string;

/**
 * HMAC-SHA256 pseudonyms under a user key: the same value maps to the same pseudonym (entries stay linkable within an
 * export), nobody without the key can reverse or recompute it.
 */
export function createPseudonymizer(key: string): Pseudonymizer {
  if (key.length < MIN_KEY_LENGTH) {
    throw storeError('store.weak-key', { minLength: MIN_KEY_LENGTH });
  }
  const memo = new Map<string, string>();
  return (value) => {
    let out = memo.get(value);
    if (out === undefined) {
      out = `psd-${createHmac('sha256', key).update(value, 'utf8').digest('hex').slice(0, 24)}`;
      memo.set(value, out);
    }
    return out;
  };
}

/** DN attributes naming a person (names, mail, ids) — `title=`, `O=`, `OU=`, `DC=`, `C=` stay readable. */
const PERSON_ATTRIBUTES = String.raw`CN|SN|GN|G|givenName|surname|E|emailAddress|UID|serialNumber|initials|pseudonym|2\.5\.4\.(?:3|4|5|42|43|65)|0\.9\.2342\.19200300\.100\.1\.1|1\.2\.840\.113549\.1\.9\.1`;

/**
 * Identifying fragments inside free text, in one pass (a second pass would re-hash the hex of a pseudonym):
 * 1–2. the value of a person attribute of a distinguished name in a certificate subject
 *      (`X509:<S>C=FR,SN=DUPONT,GN=JEAN,CN=…`) or anywhere else in the text;
 * 3–5. the account of `Set-ADUser -Identity 'jdupont'` — quoted (a DN, `''` inside) or bare;
 * 6. e-mail-like UPNs (also after `userPrincipalName=`), long digit runs (RPPS, card numbers), long hex (serials,
 *    SKIs).
 */
const IDENTIFYING_FRAGMENT = new RegExp(
  [
    String.raw`(?<![A-Za-z0-9.])((?:${PERSON_ATTRIBUTES})\s*=\s*)((?:\\.|[^,+;<>'"\r\n)\]\\])+)`,
    String.raw`(-Identity\s+)(?:'((?:[^'\u2018\u2019\u201A\u201B]|['\u2018\u2019\u201A\u201B]{2})*)'|([^\s'";)]+))`,
    String.raw`[^\s<>"'(),;=]+@[^\s<>"'(),;]+|\d[\d.]{6,}\d|\b[0-9a-fA-F]{16,}\b`,
  ].join('|'),
  'gi',
);

/** Person attributes of a DN on its own (the quoted `-Identity` of a Set-ADUser line): values run to `,` or `+`. */
const DN_PERSON_VALUE = new RegExp(String.raw`((?:^|[,+])\s*(?:${PERSON_ATTRIBUTES})\s*=\s*)((?:\\.|[^,+\\])+)`, 'gi');

function pseudoKeepingSpaces(value: string, pseudo: Pseudonymizer): string {
  // Trailing spaces belong to the text around (`CN=JEAN DUPONT )`), not to the name.
  const name = value.trimEnd();
  return `${pseudo(name)}${value.slice(name.length)}`;
}

/** Replace identifying fragments in free text, keeping the rest (error codes, messages, the DN's shape) readable. */
export function scrubText(text: string, pseudo: Pseudonymizer): string {
  return text.replace(
    IDENTIFYING_FRAGMENT,
    (
      fragment: string,
      dnKey: string | undefined,
      dnValue: string | undefined,
      identity: string | undefined,
      quoted: string | undefined,
      bare: string | undefined,
    ) => {
      if (dnKey !== undefined && dnValue !== undefined) {
        return `${dnKey}${pseudoKeepingSpaces(dnValue, pseudo)}`;
      }
      if (identity !== undefined && quoted !== undefined) {
        // A DN keeps its shape (OU, DC readable); a sAMAccountName is replaced whole.
        const scrubbed = quoted.includes('=')
          ? quoted.replace(
              DN_PERSON_VALUE,
              (_m, key: string, value: string) => `${key}${pseudoKeepingSpaces(value, pseudo)}`,
            )
          : pseudo(quoted);
        return `${identity}'${scrubbed}'`;
      }
      if (identity !== undefined && bare !== undefined) {
        return `${identity}${pseudo(bare)}`;
      }
      return pseudo(fragment);
    },
  );
}

function scrubDetails(value: JsonValue, pseudo: Pseudonymizer, isPersonal: boolean, depth: number): JsonValue {
  if (depth > 64) {
    return null;
  }
  if (typeof value === 'string') {
    return isPersonal || value.startsWith('X509:') ? pseudo(value) : scrubText(value, pseudo);
  }
  if (Array.isArray(value)) {
    return (value as readonly JsonValue[]).map((item) => scrubDetails(item, pseudo, isPersonal, depth + 1));
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value as Record<string, JsonValue>)) {
      out[k] = scrubDetails(v, pseudo, isPersonal || PERSONAL_DETAIL_KEY.test(k), depth + 1);
    }
    return out;
  }
  return value;
}

/**
 * Replace UPNs, object ids, card numbers, national identifiers, certificate serials/SKIs and, inside `details`, values
 * under personal keys, certificateUserIds values (`X509:…`) and identifying fragments of free text.
 */
export function pseudonymizeEntry(entry: JournalEntry, pseudo: Pseudonymizer): JournalEntry {
  return {
    ...entry,
    agent: { upn: pseudo(entry.agent.upn.toLowerCase()), oid: pseudo(entry.agent.oid), tenantId: entry.agent.tenantId },
    ...(entry.card === undefined
      ? {}
      : {
          card: {
            cardNumber: pseudo(entry.card.cardNumber),
            identifier: pseudo(entry.card.identifier),
            ...(entry.card.serialHex === undefined ? {} : { serialHex: pseudo(entry.card.serialHex.toLowerCase()) }),
            ...(entry.card.skiHex === undefined ? {} : { skiHex: pseudo(entry.card.skiHex.toLowerCase()) }),
          },
        }),
    ...(entry.user === undefined
      ? {}
      : { user: { id: pseudo(entry.user.id), upn: pseudo(entry.user.upn.toLowerCase()) } }),
    details: scrubDetails(entry.details, pseudo, false, 0) as JournalEntry['details'],
  };
}
