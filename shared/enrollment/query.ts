/**
 * Graph requests described as data, and their relative URL (for `GraphService.items` or a `$batch` item).
 */

/** One Graph collection query the I/O side runs. */
export type GraphQuery = {
  /** Stable id (also usable as a `$batch` item id). */
  id: string;
  /** Why this query exists (shown in diagnostics). */
  purpose: string;
  path: string;
  query: {
    $filter?: string;
    $search?: string;
    $select: string;
    $count?: boolean;
    $top?: number;
  };
  /** `ConsistencyLevel: eventual` for advanced queries ($search, $count, any(), ne, endsWith, extension attributes). */
  headers: Readonly<Record<string, string>>;
};

/** Headers of an advanced query. */
export const ADVANCED_HEADERS: Readonly<Record<string, string>> = { ConsistencyLevel: 'eventual' };

/** Relative URL with the query string encoded (`/users?$filter=…`). `$` and `,` stay readable, as Graph accepts. */
export function toRelativeUrl(q: Pick<GraphQuery, 'path' | 'query'>): string {
  const parts: string[] = [];
  const entries: [string, string | number | boolean | undefined][] = [
    ['$filter', q.query.$filter],
    ['$search', q.query.$search],
    ['$select', q.query.$select],
    ['$count', q.query.$count],
    ['$top', q.query.$top],
  ];
  for (const [key, value] of entries) {
    if (value !== undefined) {
      parts.push(`${key}=${encodeURIComponent(String(value)).replace(/%2C/g, ',')}`);
    }
  }
  return parts.length === 0 ? q.path : `${q.path}?${parts.join('&')}`;
}
