/**
 * Text helpers for matching people across the card and the directory: accent and case folding, tokens, OData and
 * `$search` literal escaping.
 */

/** Remove diacritics (NFD then drop combining marks) and fold ligatures French names use. */
export function stripAccents(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/Œ/g, 'OE')
    .replace(/œ/g, 'oe')
    .replace(/Æ/g, 'AE')
    .replace(/æ/g, 'ae')
    .normalize('NFC');
}

/** Comparison form: no accents, lower case, hyphens/apostrophes/dots as spaces, single spaces, trimmed. */
export function foldName(text: string): string {
  return stripAccents(text)
    .toLowerCase()
    .replace(/[-'’.,_]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Name tokens in comparison form. */
export function nameTokens(text: string): string[] {
  const folded = foldName(text);
  return folded === '' ? [] : folded.split(' ');
}

/** Escape a string literal for an OData `$filter` (single quotes doubled, per OData ABNF). */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * A token safe inside a `$search` clause (`"property:token"`).
 *
 * Graph's `$search` has no documented escape for `"` inside a clause, so quotes and backslashes are dropped rather
 * than risk changing the query's meaning.
 */
export function searchToken(value: string): string {
  return value.replace(/["\\]/g, '').trim();
}

/**
 * Letters French names commonly carry accents on (é è ê ë, ç, î ï, ô ö); a prefix before the first of them matches
 * accented and plain spellings. `a`, `u` and `y` are left out on purpose: accented in names rarely, and including
 * them would shorten most prefixes to one letter. A heuristic: ranking does the real comparison.
 */
const ACCENTABLE = /[ceioCEIO]/;

/**
 * The longest prefix of the unaccented text that contains no letter French may accent.
 *
 * Graph's `startswith` is case-insensitive but accent-sensitive: the card says `HELENE DUPRE`, the directory
 * `Hélène Dupré`. `startswith(surname,'DUPR')` matches both spellings; ranking then compares folded names.
 */
export function accentSafePrefix(text: string): string {
  const plain = stripAccents(text);
  // A name never starts with `Ç` in practice: the first letter is exempt for `c`.
  const first = /^[cC]/.test(plain) ? 1 : 0;
  const found = plain.slice(first).search(ACCENTABLE);
  return found < 0 ? plain : plain.slice(0, first + found);
}

/**
 * Spellings to try with `startswith`: as given, without accents, and the accent-safe
 * prefix when it is long enough to be selective. Deduplicated case-insensitively (Graph ignores case there).
 */
export function spellingVariants(text: string, minPrefix = 3): string[] {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  if (trimmed === '') {
    return [];
  }
  const candidates = [trimmed, stripAccents(trimmed)];
  const prefix = accentSafePrefix(trimmed);
  if (prefix.length >= minPrefix && prefix.length < trimmed.length) {
    candidates.push(prefix);
  }
  const seen = new Set<string>();
  const out: string[] = [];
  for (const candidate of candidates) {
    const key = candidate.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      out.push(candidate);
    }
  }
  return out;
}
