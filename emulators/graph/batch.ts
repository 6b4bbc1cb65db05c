/**
 * JSON batching (`POST /$batch`): at most 20 requests, relative URLs, optional `dependsOn` (a failed dependency
 * gives 424), each item through the normal pipeline so faults and throttling apply per item.
 */
import type { GraphReply } from './errors';
import type { PipelineDeps, PipelineRequest } from './pipeline';
import { runPipeline } from './pipeline';

type BatchItem = {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
};

function parseItems(body: unknown): BatchItem[] | string {
  const requests = (body as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests)) {
    return 'requests must be an array.';
  }
  if (requests.length > 20) {
    return 'The number of batch requests exceeds the limit of 20.';
  }
  const items: BatchItem[] = [];
  for (const raw of requests as unknown[]) {
    const r = raw as Partial<BatchItem> | null;
    if (!r || typeof r.id !== 'string' || typeof r.method !== 'string' || typeof r.url !== 'string') {
      return 'Each request needs id, method and url.';
    }
    if (/^https?:/i.test(r.url)) {
      return 'Batch request URLs must be relative.';
    }
    items.push(r as BatchItem);
  }
  if (new Set(items.map((i) => i.id)).size !== items.length) {
    return 'Batch request ids must be unique.';
  }
  return items;
}

/** One item as served inside a `$batch` (for the request log). */
export type ServedBatchItem = {
  /** The item's `id` in the batch body. */
  readonly id: string;
  readonly method: string;
  /** Path after the version, with query string. */
  readonly path: string;
  readonly status: number;
  readonly retryAfterSeconds: number | undefined;
};

/** Handles a `$batch` body; the batch itself is authorized item by item, as on Graph. */
export function runBatch(
  deps: PipelineDeps,
  version: 'v1.0' | 'beta',
  outer: PipelineRequest['headers'],
  body: unknown,
): { reply: GraphReply; latencyMs: number; reset?: boolean; items: ServedBatchItem[] } {
  const items = parseItems(body);
  if (typeof items === 'string') {
    return {
      reply: {
        status: 400,
        body: {
          error: { code: 'BadRequest', message: items, innerError: { date: new Date().toISOString().slice(0, 19) } },
        },
      },
      latencyMs: 0,
      items: [],
    };
  }
  const served: ServedBatchItem[] = [];
  const status = new Map<string, number>();
  let latencyMs = 0;
  // Mutated inside the map below (a plain `let` would read as never-changed to the type checker).
  const applied = { beforeReset: false };
  const responses = items.map((item) => {
    const failedDep = (item.dependsOn ?? []).find((d) => (status.get(d) ?? 424) >= 400);
    if (failedDep !== undefined) {
      status.set(item.id, 424);
      served.push({
        id: item.id,
        method: item.method.toUpperCase(),
        path: item.url,
        status: 424,
        retryAfterSeconds: undefined,
      });
      return {
        id: item.id,
        status: 424,
        body: { error: { code: 'FailedDependency', message: `Dependency ${failedDep} failed.` } },
      };
    }
    const headers: Record<string, string | undefined> = {
      authorization: outer.authorization,
      'client-request-id': outer['client-request-id'],
    };
    for (const [k, v] of Object.entries(item.headers ?? {})) {
      headers[k.toLowerCase()] = v;
    }
    const out = runPipeline(
      deps,
      {
        method: item.method.toUpperCase(),
        version,
        pathAndQuery: item.url.startsWith('/') ? item.url : `/${item.url}`,
        headers,
        body: item.body,
      },
      true,
    );
    latencyMs = Math.max(latencyMs, out.latencyMs);
    applied.beforeReset ||= out.applied === true;
    // A connection reset cannot happen inside a batch; Graph reports such failures as 503 items.
    const reply = out.reset
      ? {
          status: 503,
          headers: { 'retry-after': '1' },
          body: { error: { code: 'serviceNotAvailable', message: 'Service unavailable.' } },
        }
      : out.reply;
    status.set(item.id, reply.status);
    const retryAfter = reply.headers?.['retry-after'];
    served.push({
      id: item.id,
      method: item.method.toUpperCase(),
      path: item.url.startsWith('/') ? item.url : `/${item.url}`,
      status: reply.status,
      retryAfterSeconds: retryAfter === undefined ? undefined : Number(retryAfter),
    });
    return {
      id: item.id,
      status: reply.status,
      headers: { 'content-type': 'application/json', ...(reply.headers ?? {}) },
      ...(reply.body === undefined ? {} : { body: reply.body }),
    };
  });
  // An item applied before a reset: every item ran, then the batch's own connection drops.
  return {
    reply: { status: 200, body: { responses } },
    latencyMs,
    items: served,
    ...(applied.beforeReset ? { reset: true } : {}),
  };
}
