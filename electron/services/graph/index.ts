/**
 * Graph service: typed access to Microsoft Graph (or the emulator) through `@microsoft/microsoft-graph-client` with
 * our middleware chain (retry, claims challenges, conditional-access pacing, TLS-pinned transport).
 *
 * Reads stream pages (`pages`/`items`) instead of accumulating; `batch` sends JSON batches of at most 20 and
 * retries only the failed items. Every failure is an `AppError` with a `graph.*` code.
 */
import { randomUUID } from 'node:crypto';
import { Client } from '@microsoft/microsoft-graph-client';
import { AppError } from '../../../shared/errors';
import { runBatch } from './batch';
import type { CaPacerRegistry } from './ca-pacer';
import { createCaPacerRegistry, processCaPacers } from './ca-pacer';
import type { BatchItem, BatchResult } from './batch';
import type { FetchLike } from './https-fetch';
import { createHttpsFetch } from './https-fetch';
import type { Clock, GraphLogger, TokenProvider } from './middleware';
import { buildMiddlewareChain, PscRequestOptions, unwrapGraphError } from './middleware';
import type { RetrySettings } from './retry-policy';
import { defaultRetrySettings } from './retry-policy';

/** Per-call options. */
export type GraphCallOptions = {
  readonly version?: 'v1.0' | 'beta';
  /** Scopes for this call (write scopes only when the user chose to fix); defaults to the service's read scopes. */
  readonly scopes?: readonly string[];
  /** Adds `ConsistencyLevel: eventual` (advanced queries); detected automatically for `$search`/`$count`. */
  readonly advancedQuery?: boolean;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * `false`: a write (or a batch write item) answered 429/503/504 or cut by a reset is never resent: the caller gets
   * the typed error and re-reads before redoing it. Default `true` (resent only when clearly not applied).
   */
  readonly retryWrites?: boolean;
};

/** A JSON collection page. */
export type Page<T> = { readonly value: readonly T[]; readonly count?: number };

/** The Graph service port. */
export type GraphService = {
  /** GET one resource. */
  get<T>(path: string, options?: GraphCallOptions): Promise<T>;
  /** Streams collection pages following `@odata.nextLink` verbatim (bounded by `maxPages`). */
  pages<T>(path: string, options?: GraphCallOptions & { maxPages?: number }): AsyncGenerator<Page<T>>;
  /** Streams collection items. */
  items<T>(path: string, options?: GraphCallOptions & { maxPages?: number }): AsyncGenerator<T>;
  /** PATCH; never retried once it may have been applied. */
  patch<T = undefined>(path: string, body: unknown, options?: GraphCallOptions): Promise<T | undefined>;
  /** POST; same write rules as PATCH. */
  post<T = undefined>(path: string, body: unknown, options?: GraphCallOptions): Promise<T | undefined>;
  /** DELETE; same write rules as PATCH. */
  delete(path: string, options?: GraphCallOptions): Promise<void>;
  /** JSON batching: chunks of ≤ 20, per-item retry of retryable failures. */
  batch(items: readonly BatchItem[], options?: GraphCallOptions): Promise<BatchResult[]>;
  /** Frees sockets. */
  close(): void;
};

/** Dependencies of the Graph service. */
export type GraphServiceDeps = {
  /** `https://graph.microsoft.com` or the emulator URL. */
  readonly baseUrl: string;
  readonly tokens: TokenProvider;
  /** Tenant id: pacing key. */
  readonly tenantId: string;
  readonly readScopes: readonly string[];
  /** Extra trust anchor (emulator CA); ignored when `fetch` is given. */
  readonly caCertPem?: string | undefined;
  readonly fetch?: FetchLike;
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly logger?: GraphLogger;
  readonly retry?: Partial<RetrySettings>;
  readonly conditionalAccessIntervalMs?: number;
  /**
   * Conditional-access pacers: by default the process-wide registry, so every service of a tenant shares one pacer;
   * with an injected `clock` and no registry, a private one on that clock (time must not be mixed).
   */
  readonly caPacers?: CaPacerRegistry;
};

const silentLogger: GraphLogger = { debug: () => undefined, warn: () => undefined };
const systemClock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
const maxPagesDefault = 10_000;

/** Creates the Graph service. */
export function createGraphService(deps: GraphServiceDeps): GraphService {
  const ownFetch = deps.fetch ? undefined : createHttpsFetch({ caCertPem: deps.caCertPem });
  const fetchImpl: FetchLike = deps.fetch ?? (ownFetch as FetchLike);
  const clock = deps.clock ?? systemClock;
  const caPacers = deps.caPacers ?? (deps.clock ? createCaPacerRegistry(deps.clock) : processCaPacers);
  const caIntervalMs = deps.conditionalAccessIntervalMs ?? 1000;
  const middleware = buildMiddlewareChain({
    fetch: fetchImpl,
    tokens: deps.tokens,
    clock,
    random: deps.random ?? Math.random,
    logger: deps.logger ?? silentLogger,
    retry: { ...defaultRetrySettings, ...deps.retry },
    conditionalAccessIntervalMs: caIntervalMs,
    caPacers,
  });
  const base = new URL(deps.baseUrl);
  const client = Client.initWithMiddleware({
    middleware,
    baseUrl: base.origin,
    customHosts: new Set([base.hostname]),
    defaultVersion: 'v1.0',
  });

  const request = (path: string, options: GraphCallOptions, idempotent: boolean, claims?: string) => {
    const absolute = /^https:\/\//i.test(path);
    if (absolute && new URL(path).origin !== base.origin) {
      // A nextLink must stay on the configured host: never send the token elsewhere.
      throw new AppError('graph.bad-request', { details: { reason: 'foreign-next-link' } });
    }
    const version = options.version ?? 'v1.0';
    const r = absolute ? client.api(path) : client.api(path).version(version);
    const advanced = options.advancedQuery === true || /[?&]\$(search|count)=/.test(path);
    r.header('Prefer', 'include-unknown-enum-members');
    if (advanced) {
      r.header('ConsistencyLevel', 'eventual');
    }
    for (const [k, v] of Object.entries(options.headers ?? {})) {
      r.header(k, v);
    }
    r.middlewareOptions([
      new PscRequestOptions(
        options.scopes ?? deps.readScopes,
        idempotent,
        randomUUID(),
        deps.tenantId,
        claims,
        options.retryWrites ?? true,
      ),
    ]);
    return r;
  };
  const guard = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw unwrapGraphError(error);
    }
  };

  const service: GraphService = {
    get: (path, options = {}) => guard(() => request(path, options, true).get() as Promise<never>),
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the item type of the page
    async *pages<T>(path: string, options: GraphCallOptions & { maxPages?: number } = {}) {
      let next: string | undefined = path;
      const limit = options.maxPages ?? maxPagesDefault;
      for (let n = 0; next !== undefined; n++) {
        if (n >= limit) {
          throw new AppError('graph.bad-request', { details: { reason: 'too-many-pages', limit } });
        }
        const current: string = next;
        const body = await guard(
          () =>
            request(current, options, true).get() as Promise<{
              value?: T[];
              '@odata.nextLink'?: string;
              '@odata.count'?: number;
            }>,
        );
        next = body['@odata.nextLink'];
        yield {
          value: body.value ?? [],
          ...(body['@odata.count'] === undefined ? {} : { count: body['@odata.count'] }),
        };
      }
    },
    async *items<T>(path: string, options: GraphCallOptions & { maxPages?: number } = {}) {
      for await (const page of service.pages<T>(path, options)) {
        yield* page.value;
      }
    },
    patch: (path, body, options = {}) => guard(() => request(path, options, false).patch(body) as Promise<never>),
    post: (path, body, options = {}) => guard(() => request(path, options, false).post(body) as Promise<never>),
    delete: async (path, options = {}) => {
      await guard(() => request(path, options, false).delete() as Promise<unknown>);
    },
    batch: (items, options = {}) =>
      runBatch({
        items,
        send: (body, idempotent, claims) =>
          guard(() => request('/$batch', options, idempotent, claims).post(body) as Promise<unknown>),
        clock,
        random: deps.random ?? Math.random,
        retry: { ...defaultRetrySettings, ...deps.retry },
        retryWrites: options.retryWrites ?? true,
        caPacer: caPacers.forTenant(deps.tenantId),
        caIntervalMs,
      }),
    close: () => {
      ownFetch?.close();
    },
  };
  return service;
}

export type { BatchItem, BatchResult } from './batch';
export type { TokenProvider, TokenRequest, Clock, GraphLogger } from './middleware';
export type { GraphErrorCode } from './errors';
export { createHttpsFetch } from './https-fetch';
export type { CaPacer, CaPacerRegistry } from './ca-pacer';
export { createCaPacerRegistry, processCaPacers } from './ca-pacer';
