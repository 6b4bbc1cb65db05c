/**
 * Which path segment Graph names in `Resource not found for the segment '…'`: the first one no route can continue
 * from (`/users/{id}/foo` names `foo`, not `users`).
 */
import type { Route } from './route-types';

/** Splits a regex source at its top-level `\/` (outside groups and classes). */
function topLevelCuts(source: string): number[] {
  const cuts: number[] = [];
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      if (!inClass && depth === 0 && source[i + 1] === '/') {
        cuts.push(i);
      }
      i++;
    } else if (inClass) {
      inClass = c !== ']';
    } else if (c === '[') {
      inClass = true;
    } else if (c === '(') {
      depth++;
    } else if (c === ')') {
      depth--;
    }
  }
  return cuts;
}

/** Expands a leading top-level `(?:a|b)` group into one source per alternative (route patterns use one at most). */
function expandAlternatives(source: string): string[] {
  const m = /^\^\\\/\(\?:/.exec(source);
  if (!m) {
    return [source];
  }
  let depth = 1;
  let i = m[0].length;
  const parts: string[] = [];
  let start = i;
  for (; i < source.length && depth > 0; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
    } else if (c === '(') {
      depth++;
    } else if (c === ')') {
      depth--;
      if (depth === 0) {
        parts.push(source.slice(start, i));
      }
    } else if (c === '|' && depth === 1) {
      parts.push(source.slice(start, i));
      start = i + 1;
    }
  }
  const rest = source.slice(i);
  return parts.map((p) => `^\\/${p}${rest}`);
}

const prefixCache = new WeakMap<readonly Route[], RegExp[]>();

/** Regexes matching every path a route can start with, cut at segment boundaries. */
function prefixPatterns(routes: readonly Route[]): RegExp[] {
  const cached = prefixCache.get(routes);
  if (cached) {
    return cached;
  }
  const out: RegExp[] = [];
  for (const r of routes) {
    for (const source of expandAlternatives(r.pattern.source)) {
      for (const cut of topLevelCuts(source)) {
        try {
          out.push(new RegExp(`${source.slice(0, cut)}$`));
        } catch {
          // A cut inside a construct the splitter does not model: that prefix is simply not offered.
        }
      }
      out.push(r.pattern);
    }
  }
  prefixCache.set(routes, out);
  return out;
}

/** The first segment of `path` that no route continues from (the last one when every prefix is known). */
export function unmatchedSegment(routes: readonly Route[], path: string): string {
  const segments = path.split('/').slice(1);
  const patterns = prefixPatterns(routes);
  for (let k = 1; k <= segments.length; k++) {
    const prefix = `/${segments.slice(0, k).join('/')}`;
    if (!patterns.some((p) => p.test(prefix))) {
      return segments[k - 1] ?? '';
    }
  }
  return segments.at(-1) ?? '';
}
