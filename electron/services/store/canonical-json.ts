/** A JSON value as the journal stores it. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * Serialise a JSON value with object keys sorted (UTF-16 code unit order) and no whitespace.
 *
 * The journal hashes this text, so two equal entries must always give the same bytes whatever the order their keys
 * were built in. Non-finite numbers have no JSON form and are refused rather than silently turned into `null`.
 * Depth is bounded so hostile input cannot overflow the stack.
 */
export function canonicalJson(value: JsonValue, depth = 0): string {
  if (depth > 64) {
    throw new RangeError('canonicalJson: nesting deeper than 64 levels');
  }
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new RangeError('canonicalJson: non-finite number');
    }
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${(value as readonly JsonValue[]).map((item) => canonicalJson(item, depth + 1)).join(',')}]`;
  }
  const record = value as Readonly<Record<string, JsonValue>>;
  const keys = Object.keys(record).sort();
  const parts: string[] = [];
  for (const key of keys) {
    const item = record[key];
    // `undefined` has no JSON form: drop the key, exactly as JSON.stringify does, so optional fields stay optional.
    if (item !== undefined) {
      parts.push(`${JSON.stringify(key)}:${canonicalJson(item, depth + 1)}`);
    }
  }
  return `{${parts.join(',')}}`;
}
