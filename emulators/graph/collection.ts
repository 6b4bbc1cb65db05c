/**
 * Serving collections: `$filter`, `$search`, `$count`, `$select`, `$top` and opaque `$skiptoken` paging with
 * `@odata.nextLink` (default page 100, maximum 999 as on Graph for directory objects).
 */
import { badRequest } from './errors';
import type { GraphReply } from './errors';
import type { Entity } from './model';
import { compileFilter, compileSearch, FilterError, select } from './odata';
import type { RouteContext } from './route-types';

/** A collection source: explicit items plus optional generated ones (synthetic users). */
export type Source = { readonly count: number; readonly at: (i: number) => Entity };

/** Wraps an array as a source. */
export function arraySource(items: readonly Entity[]): Source {
  return { count: items.length, at: (i) => items[i] ?? { id: '' } };
}

/** Serves a collection page with Graph's query options. */
export function serveCollection(
  ctx: RouteContext,
  source: Source,
  opts: { defaultSelect?: readonly string[]; context: string },
): GraphReply {
  const q = ctx.query;
  const eventual = ctx.consistencyLevel?.toLowerCase() === 'eventual';
  let predicate: ((e: Entity) => boolean) | undefined;
  try {
    const filter = q.get('$filter');
    if (filter) {
      const compiled = compileFilter(filter);
      if (compiled.advanced && !eventual) {
        throw badRequest(
          'Unsupported or invalid query filter clause specified for property. ConsistencyLevel:eventual is required.',
          'Request_UnsupportedQuery',
        );
      }
      predicate = compiled.test;
    }
    const search = q.get('$search');
    if (search) {
      if (!eventual) {
        throw badRequest(
          "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
          'Request_UnsupportedQuery',
        );
      }
      const s = compileSearch(search);
      const p = predicate;
      predicate = p ? (e) => p(e) && s(e) : s;
    }
  } catch (error) {
    if (error instanceof FilterError) {
      throw badRequest(`Invalid filter clause: ${error.message}`);
    }
    throw error;
  }
  const wantCount = q.get('$count') === 'true';
  if (wantCount && !eventual) {
    throw badRequest(
      '$count is not currently supported without ConsistencyLevel:eventual.',
      'Request_UnsupportedQuery',
    );
  }
  const topRaw = q.get('$top');
  const top = topRaw === null ? 100 : Number(topRaw);
  if (!Number.isInteger(top) || top < 1 || top > 999) {
    throw badRequest(`Invalid page size specified: '${topRaw ?? ''}'. Must be between 1 and 999 inclusive.`);
  }
  const skipToken = q.get('$skiptoken');
  let start = 0;
  if (skipToken) {
    const decoded = Number(Buffer.from(skipToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(decoded) || decoded < 0) {
      throw badRequest("'$skiptoken' is invalid.", 'Directory_ExpiredPageToken');
    }
    start = decoded;
  }
  const fields =
    q
      .get('$select')
      ?.split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0) ?? opts.defaultSelect;
  const page: Entity[] = [];
  let i = start;
  let matched = 0;
  for (; i < source.count && page.length < top; i++) {
    const e = source.at(i);
    if (!predicate || predicate(e)) {
      page.push(select(e, fields));
    }
  }
  const body: Record<string, unknown> = { '@odata.context': `${ctx.serviceRoot}/$metadata#${opts.context}` };
  if (wantCount) {
    for (let j = 0; j < source.count; j++) {
      if (!predicate || predicate(source.at(j))) {
        matched++;
      }
    }
    body['@odata.count'] = matched;
  }
  let more = false;
  for (let j = i; j < source.count; j++) {
    if (!predicate || predicate(source.at(j))) {
      more = true;
      break;
    }
  }
  if (more) {
    const params = new URLSearchParams(q);
    params.set('$skiptoken', Buffer.from(String(i)).toString('base64url'));
    body['@odata.nextLink'] = `${ctx.serviceRoot}${ctx.path}?${params.toString()}`;
  }
  body.value = page;
  return { status: 200, body };
}
