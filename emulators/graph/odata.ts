/**
 * The OData subset the app uses: `$filter` with `eq`, `ne`, `startswith`, `endswith`, `any()` over string
 * collections, `and`/`or` and parentheses; `$search` on `"property:text"`; `$select`.
 *
 * Advanced queries (`ne`, `endswith`, `any()` on certificateUserIds, `$search`, `$count`) need
 * `ConsistencyLevel: eventual`, as on Graph.
 */
import type { Entity, Json } from './model';

/** A compiled filter: a predicate plus whether Graph would count it as an advanced query. */
export type CompiledFilter = { readonly test: (e: Entity) => boolean; readonly advanced: boolean };

/** A filter the emulator cannot parse (Graph answers 400 BadRequest "Invalid filter clause"). */
export class FilterError extends Error {}

type Token = { kind: 'ident' | 'string' | 'literal' | 'punct'; value: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src.charAt(i);
    if (c === ' ') {
      i++;
    } else if (c === "'") {
      let v = '';
      i++;
      for (;;) {
        if (i >= src.length) {
          throw new FilterError('unterminated string');
        }
        if (src.charAt(i) === "'") {
          if (src.charAt(i + 1) === "'") {
            v += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += src.charAt(i++);
      }
      out.push({ kind: 'string', value: v });
    } else if ('(),:'.includes(c)) {
      out.push({ kind: 'punct', value: c });
      i++;
    } else {
      const m = /^[A-Za-z0-9_./@-]+/.exec(src.slice(i));
      if (!m) {
        throw new FilterError(`unexpected '${c}'`);
      }
      const word = m[0];
      out.push({ kind: /^(true|false|null|-?\d+)$/.test(word) ? 'literal' : 'ident', value: word });
      i += word.length;
    }
  }
  return out;
}

/** Resolves a `/`-separated property path on a JSON value. */
export function pathValue(e: Json, path: string): Json | undefined {
  let cur: Json | undefined = e;
  for (const part of path.split('/')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) {
      return undefined;
    }
    cur = cur[part];
  }
  return cur;
}

const literal = (t: Token): Json => {
  if (t.kind === 'string') {
    return t.value;
  }
  if (t.value === 'true' || t.value === 'false') {
    return t.value === 'true';
  }
  return t.value === 'null' ? null : Number(t.value);
};

const equalish = (a: Json | undefined, b: Json): boolean =>
  typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : (a ?? null) === b;

/** Compiles a `$filter` expression (≤ 2,048 characters). */
export function compileFilter(src: string): CompiledFilter {
  if (src.length > 2048) {
    throw new FilterError('filter too long');
  }
  const tokens = tokenize(src);
  let pos = 0;
  let advanced = false;
  const peek = (): Token | undefined => tokens[pos];
  const next = (): Token => {
    const t = tokens[pos++];
    if (!t) {
      throw new FilterError('unexpected end');
    }
    return t;
  };
  const expect = (value: string): void => {
    if (next().value !== value) {
      throw new FilterError(`expected '${value}'`);
    }
  };
  type P = (e: Entity) => boolean;
  const primary = (): P => {
    const t = next();
    if (t.value === '(') {
      const inner = orExpr();
      expect(')');
      return inner;
    }
    if (t.kind === 'ident' && (t.value.toLowerCase() === 'startswith' || t.value.toLowerCase() === 'endswith')) {
      const starts = t.value.toLowerCase() === 'startswith';
      advanced ||= !starts;
      expect('(');
      const prop = next().value;
      expect(',');
      const v = literal(next());
      expect(')');
      return (e) => {
        const actual = pathValue(e, prop);
        return (
          typeof actual === 'string' &&
          typeof v === 'string' &&
          (starts ? actual.toLowerCase().startsWith(v.toLowerCase()) : actual.toLowerCase().endsWith(v.toLowerCase()))
        );
      };
    }
    if (t.kind !== 'ident') {
      throw new FilterError('expected a property');
    }
    const anyMatch = /^(.+)\/any$/.exec(t.value);
    if (anyMatch?.[1]) {
      const prop = anyMatch[1];
      advanced ||= prop.includes('certificateUserIds');
      expect('(');
      const variable = next().value;
      expect(':');
      if (next().value !== variable) {
        throw new FilterError('lambda variable mismatch');
      }
      const op = next().value;
      const v = literal(next());
      expect(')');
      return (e) => {
        const coll = pathValue(e, prop);
        return (
          Array.isArray(coll) &&
          coll.some((x) =>
            op === 'eq' ? equalish(x, v) : typeof x === 'string' && typeof v === 'string' && x.startsWith(v),
          )
        );
      };
    }
    const op = next().value;
    const v = literal(next());
    if (op === 'eq') {
      return (e) => equalish(pathValue(e, t.value), v);
    }
    if (op === 'ne') {
      advanced = true;
      return (e) => !equalish(pathValue(e, t.value), v);
    }
    throw new FilterError(`unsupported operator '${op}'`);
  };
  const andExpr = (): P => {
    let left = primary();
    while (peek()?.value === 'and') {
      pos++;
      const l = left;
      const r = primary();
      left = (e) => l(e) && r(e);
    }
    return left;
  };
  const orExpr = (): P => {
    let left = andExpr();
    while (peek()?.value === 'or') {
      pos++;
      const l = left;
      const r = andExpr();
      left = (e) => l(e) || r(e);
    }
    return left;
  };
  const test = orExpr();
  if (pos !== tokens.length) {
    throw new FilterError('trailing tokens');
  }
  return { test, advanced };
}

/** Compiles `$search` (`"displayName:jean" OR "mail:jean"`); tokens match word prefixes, case-insensitive. */
export function compileSearch(src: string): (e: Entity) => boolean {
  const clauses = [...src.matchAll(/"([A-Za-z]+):([^"]*)"/g)].map((m) => ({
    prop: m[1] ?? '',
    text: (m[2] ?? '').toLowerCase(),
  }));
  if (clauses.length === 0) {
    throw new FilterError('$search must be "property:value"');
  }
  return (e) =>
    clauses.some(({ prop, text }) => {
      const v = pathValue(e, prop);
      return (
        typeof v === 'string' &&
        v
          .toLowerCase()
          .split(/[\s.@_-]+/)
          .some((w) => w.startsWith(text))
      );
    });
}

/** Applies `$select` (top-level properties; `id` and `@odata.type` always kept). */
export function select(e: Entity, fields: readonly string[] | undefined): Entity {
  if (!fields || fields.length === 0) {
    return e;
  }
  const out: Entity = { id: e.id };
  const t = e['@odata.type'];
  if (t !== undefined) {
    out['@odata.type'] = t;
  }
  for (const f of fields) {
    const v = e[f];
    if (v !== undefined) {
      out[f] = v;
    }
  }
  return out;
}
