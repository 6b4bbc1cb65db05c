/**
 * A small reader for Graph's v1.0 CSDL and a conformance checker: every property of a JSON payload must exist on its
 * type (following base types and `@odata.type` casts), and every enum value must be a member (flags enums allow
 * comma-separated members). Beta payloads are checked against the beta property lists (own properties only, so
 * base-type properties are taken from v1.0).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

type StructuredType = { base?: string; props: Map<string, string>; open: boolean };
type EnumType = { members: Set<string>; flags: boolean };

/** The parsed schema. */
export type GraphSchema = {
  types: Map<string, StructuredType>;
  enums: Map<string, EnumType>;
  betaExtra: Map<string, Set<string>>;
  /** Bound actions: `<binding type>/<name>` → parameter name → type (binding parameter left out). */
  actions: Map<string, Map<string, string>>;
};

const graphDir =
  process.env.PSC_GRAPH_SCHEMA_DIR ?? join(fileURLToPath(new URL('.', import.meta.url)), '../../../../shared/graph');

const qualify = (ns: string, name: string): string => `${ns}.${name}`;
const resolveRef = (ref: string): string => ref.replace(/(^|\()graph\./g, '$1microsoft.graph.');

/** Parses a CSDL document (regular expressions suffice: the file is machine-written and regular). */
export function parseCsdl(xml: string): Omit<GraphSchema, 'betaExtra'> {
  const actions = new Map<string, Map<string, string>>();
  for (const m of xml.matchAll(/<Action Name="([^"]+)" IsBound="true"[^>]*>([\s\S]*?)<\/Action>/g)) {
    const params = [...(m[2] ?? '').matchAll(/<Parameter Name="([^"]+)" Type="([^"]+)"/g)];
    const binding = params.find((p) => p[1] === 'bindingParameter')?.[2];
    if (binding === undefined) {
      continue;
    }
    actions.set(
      `${resolveRef(binding)}/${m[1] ?? ''}`,
      new Map(params.filter((p) => p[1] !== 'bindingParameter').map((p) => [p[1] ?? '', resolveRef(p[2] ?? '')])),
    );
  }
  const types = new Map<string, StructuredType>();
  const enums = new Map<string, EnumType>();
  const schemas = xml.split(/<Schema /).slice(1);
  for (const schema of schemas) {
    const ns = /Namespace="([^"]+)"/.exec(schema)?.[1] ?? '';
    const alias = /Alias="([^"]+)"/.exec(schema)?.[1];
    const fix = (t: string) =>
      resolveRef(alias && alias !== 'graph' ? t.replace(new RegExp(`(^|\\()${alias}\\.`, 'g'), `$1${ns}.`) : t);
    for (const m of schema.matchAll(
      /<(EntityType|ComplexType) ([^>]*?)(\/?)>([\s\S]*?)(?=<(?:EntityType|ComplexType|EnumType|Function|Action|EntityContainer|Term|Annotations|\/Schema)[ >])/g,
    )) {
      const attrs = m[2] ?? '';
      const name = /Name="([^"]+)"/.exec(attrs)?.[1] ?? '';
      const base = /BaseType="([^"]+)"/.exec(attrs)?.[1];
      const body = m[3] === '/' ? '' : (m[4] ?? '');
      const props = new Map<string, string>();
      for (const p of body.matchAll(/<(?:Property|NavigationProperty) Name="([^"]+)" Type="([^"]+)"/g)) {
        props.set(p[1] ?? '', fix(p[2] ?? ''));
      }
      types.set(qualify(ns, name), {
        ...(base ? { base: fix(base) } : {}),
        props,
        open: attrs.includes('OpenType="true"'),
      });
    }
    for (const m of schema.matchAll(/<EnumType ([^>]*)>([\s\S]*?)<\/EnumType>/g)) {
      const name = /Name="([^"]+)"/.exec(m[1] ?? '')?.[1] ?? '';
      const members = new Set([...(m[2] ?? '').matchAll(/<Member Name="([^"]+)"/g)].map((x) => x[1] ?? ''));
      enums.set(qualify(ns, name), { members, flags: (m[1] ?? '').includes('IsFlags="true"') });
    }
  }
  return { types, enums, actions };
}

let cached: GraphSchema | undefined;

/** Loads the v1.0 CSDL and the beta property lists from `../shared/graph/` (never copied into the repo). */
export function loadGraphSchema(): GraphSchema {
  if (cached) {
    return cached;
  }
  const parsed = parseCsdl(readFileSync(join(graphDir, 'v1.0-Prod.csdl'), 'utf8'));
  const betaExtra = new Map<string, Set<string>>();
  for (const file of ['beta-entity-types.json', 'beta-complex-types.json']) {
    const json = JSON.parse(readFileSync(join(graphDir, file), 'utf8')) as Record<
      string,
      Record<string, { properties?: string[]; navigationProperties?: string[] }>
    >;
    for (const [ns, types] of Object.entries(json)) {
      for (const [name, t] of Object.entries(types)) {
        betaExtra.set(`${ns}.${name}`, new Set([...(t.properties ?? []), ...(t.navigationProperties ?? [])]));
      }
    }
  }
  cached = { ...parsed, betaExtra };
  return cached;
}

/** Checks the body of a bound action call: only the action's parameters, each of its type. */
export function checkActionBody(
  schema: GraphSchema,
  action: { name: string; bindingType: string },
  body: unknown,
): Violation[] {
  const binding = action.bindingType.includes('.') ? action.bindingType : `microsoft.graph.${action.bindingType}`;
  const params = schema.actions.get(`${binding}/${action.name}`);
  if (params === undefined) {
    return [{ path: '$', problem: `no action ${action.name} bound to ${binding}` }];
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return [{ path: '$', problem: 'action body must be an object' }];
  }
  const out: Violation[] = [];
  for (const [k, v] of Object.entries(body)) {
    const type = params.get(k);
    if (type === undefined) {
      out.push({ path: `$.${k}`, problem: `not a parameter of ${action.name}` });
    } else {
      out.push(...checkAgainstSchema(schema, type, v).map((x) => ({ ...x, path: x.path.replace(/^\$/, `$.${k}`) })));
    }
  }
  return out;
}

/** One conformance violation. */
export type Violation = { readonly path: string; readonly problem: string };

/** Checks a JSON value against a type (`microsoft.graph.user` or `user`). */
export function checkAgainstSchema(
  schema: GraphSchema,
  typeName: string,
  value: unknown,
  options: { beta?: boolean } = {},
): Violation[] {
  const out: Violation[] = [];
  const full = typeName.includes('.') ? typeName : `microsoft.graph.${typeName}`;
  const lookup = (type: string, prop: string): string | undefined | null => {
    let t: string | undefined = type;
    for (let depth = 0; t && depth < 20; depth++) {
      const st = schema.types.get(t);
      if (!st) {
        return null;
      }
      const found = st.props.get(prop);
      if (found) {
        return found;
      }
      if (options.beta && schema.betaExtra.get(t)?.has(prop)) {
        return 'Edm.Untyped';
      }
      t = st.base;
    }
    return undefined;
  };
  const visit = (type: string, v: unknown, path: string, depth: number): void => {
    if (v === null || v === undefined || depth > 30) {
      return;
    }
    const collection = /^Collection\((.+)\)$/.exec(type);
    if (collection) {
      if (Array.isArray(v)) {
        v.forEach((x, i) => {
          visit(collection[1] ?? '', x, `${path}[${i}]`, depth + 1);
        });
      } else {
        out.push({ path, problem: `expected a collection of ${collection[1] ?? ''}` });
      }
      return;
    }
    const en = schema.enums.get(type);
    if (en) {
      const parts = typeof v === 'string' ? (en.flags ? v.split(',').map((s) => s.trim()) : [v]) : [];
      for (const p of parts) {
        if (!en.members.has(p)) {
          out.push({ path, problem: `'${p}' is not a member of ${type}` });
        }
      }
      return;
    }
    if (!schema.types.has(type) || typeof v !== 'object' || Array.isArray(v)) {
      return;
    }
    const obj = v as Record<string, unknown>;
    const cast = typeof obj['@odata.type'] === 'string' ? obj['@odata.type'].replace(/^#/, '') : undefined;
    const actual = cast && schema.types.has(cast) ? cast : type;
    if (cast && !schema.types.has(cast)) {
      out.push({ path, problem: `unknown @odata.type ${cast}` });
    }
    for (const [k, child] of Object.entries(obj)) {
      if (k.startsWith('@') || k.includes('@odata.')) {
        continue;
      }
      const propType = lookup(actual, k);
      // Open types (user, group) are treated as closed: only schema extensions (`extension_…`) may be added.
      if (propType === undefined && !k.startsWith('extension_')) {
        out.push({ path: `${path}.${k}`, problem: `unknown property on ${actual}` });
      } else if (propType) {
        visit(propType, child, `${path}.${k}`, depth + 1);
      }
    }
  };
  visit(full, value, '$', 0);
  return out;
}
