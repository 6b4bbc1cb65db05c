/**
 * The Graph client's middleware chain: outcome → retry → claims-aware auth → conditional-access pacing → transport.
 *
 * Per-request settings travel as `PscRequestOptions` (graph-client middleware options). The outcome middleware maps
 * the final result to an `AppError`, thrown wrapped in a `GraphClientError` so the client library rethrows it as is.
 */
import type { Context, Middleware, MiddlewareOptions } from '@microsoft/microsoft-graph-client';
import { GraphClientError } from '@microsoft/microsoft-graph-client';
import { AppError } from '../../../shared/errors';
import { mapGraphFailure, mapTransportFailure } from './errors';
import type { CaPacerRegistry } from './ca-pacer';
import type { FetchLike } from './https-fetch';
import { TransportError } from './https-fetch';
import type { AttemptOutcome, RetrySettings } from './retry-policy';
import { decideRetry, parseRetryAfter } from './retry-policy';

/** Connection failures where nothing answered: Graph (or the network) is down rather than flaky. */
const unreachableCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/** Token request from the Graph stack to identity. */
export type TokenRequest = {
  readonly scopes: readonly string[];
  readonly claims?: string | undefined;
  /** Bypass any cached token (the previous one was refused with a plain 401). */
  readonly forceRefresh?: boolean;
};
/** Supplies access tokens (identity service). */
export type TokenProvider = (request: TokenRequest) => Promise<string>;

/** Minimal logger port. */
export type GraphLogger = {
  debug(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
};

/** Clock port: injectable so tests and benches control time. */
export type Clock = { now(): number; sleep(ms: number): Promise<void> };

/** Per-request settings, and the state of the latest attempt (one object per logical request). */
export class PscRequestOptions implements MiddlewareOptions {
  /** Connection failure of the latest attempt. */
  lastError: TransportError | undefined = undefined;
  /** The latest attempt still failed a claims challenge after re-acquiring. */
  claimsStillRequired = false;
  /** Decoded claims of the latest challenge (handed to the UI when only interaction can satisfy them). */
  challengeClaims: string | undefined = undefined;
  constructor(
    readonly scopes: readonly string[],
    readonly idempotent: boolean,
    readonly clientRequestId: string,
    readonly tenantKey: string,
    /** Claims to ask for on the first token (a claims challenge met inside a `$batch` item). */
    readonly initialClaims?: string,
    /** `false`: a write is never resent by the retry layer (see `GraphCallOptions.retryWrites`). */
    readonly retryWrites = true,
  ) {}
}

type Deps = {
  readonly fetch: FetchLike;
  readonly tokens: TokenProvider;
  readonly clock: Clock;
  readonly random: () => number;
  readonly logger: GraphLogger;
  readonly retry: RetrySettings;
  /** Interval between conditional-access requests per tenant (Graph: 1 s). */
  readonly conditionalAccessIntervalMs: number;
  /** Per-tenant pacers shared with batches and the tenant's other services. */
  readonly caPacers: CaPacerRegistry;
};

const caPath = /\/(v1\.0|beta)\/identity\/(conditionalAccess|namedLocations)/;

function optionsOf(context: Context): PscRequestOptions {
  const o = context.middlewareControl?.getMiddlewareOptions(PscRequestOptions);
  if (!(o instanceof PscRequestOptions)) {
    throw new Error('PscRequestOptions missing on Graph request');
  }
  return o;
}

function urlOf(context: Context): string {
  return typeof context.request === 'string' ? context.request : context.request.url;
}

function headersOf(context: Context): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(context.options?.headers).forEach((v, k) => {
    out[k] = v;
  });
  return out;
}

const redact = (path: string): string => path.replace(/[^/?&=]+@[^/?&=]+/g, '<upn>');

class Chain implements Middleware {
  private next: Middleware | undefined;
  // Bound once: no closure per request on the hot path.
  private readonly callNext = (context: Context): Promise<void> => {
    if (!this.next) {
      return Promise.reject(new Error('middleware chain ends without transport'));
    }
    return this.next.execute(context);
  };
  constructor(private readonly run: (context: Context, next: (context: Context) => Promise<void>) => Promise<void>) {}
  setNext(next: Middleware): void {
    this.next = next;
  }
  execute(context: Context): Promise<void> {
    return this.run(context, this.callNext);
  }
}

/** Builds the chain head; returns it with its parts linked. */
export function buildMiddlewareChain(deps: Deps): Middleware {
  const outcome = new Chain(async (context, next) => {
    const o = optionsOf(context);
    try {
      await next(context);
    } catch (error) {
      // Identity failures (identity.*) must reach the caller as they are, not as a GraphError.
      throw error instanceof AppError ? wrap(error) : error;
    }
    const res = context.response;
    if (!o.lastError && (!res || res.ok)) {
      return;
    }
    // Failure path only: parse the URL for the error details.
    const url = new URL(urlOf(context));
    const method = (context.options?.method ?? 'GET').toUpperCase();
    const path = url.pathname.replace(/^\/(v1\.0|beta)/, '') + url.search;
    if (o.lastError) {
      throw wrap(
        logged(
          mapTransportFailure({
            code: o.lastError.code,
            method,
            path,
            clientRequestId: o.clientRequestId,
            outcomeUnknown: !o.idempotent && o.lastError.sent,
            cause: o.lastError,
          }),
          method,
          path,
        ),
      );
    }
    if (!res) {
      return;
    }
    let graphCode: string | undefined;
    let message: string | undefined;
    let requestId = res.headers.get('request-id') ?? undefined;
    try {
      const body = (await res.clone().json()) as {
        error?: { code?: string; message?: string; innerError?: Record<string, string> };
      };
      graphCode = body.error?.code;
      message = body.error?.message;
      requestId ??= body.error?.innerError?.['request-id'];
    } catch {
      // Not JSON: keep status only.
    }
    throw wrap(
      logged(
        mapGraphFailure({
          status: res.status,
          graphCode,
          message,
          requestId,
          clientRequestId: o.clientRequestId,
          retryAfterSeconds: parseRetryAfter(res.headers.get('retry-after'), deps.clock.now()),
          method,
          path,
          claimsChallenge: o.claimsStillRequired,
          ...(o.claimsStillRequired && o.challengeClaims !== undefined
            ? { claims: o.challengeClaims, scopes: o.scopes }
            : {}),
        }),
        method,
        path,
      ),
    );
  });

  /** Every final failure is logged once at warn, with both ids a Microsoft support case asks for. */
  const logged = (error: AppError, method: string, path: string): AppError => {
    deps.logger.warn('graph request failed', {
      code: error.code,
      status: error.details?.status,
      method,
      path: redact(path.split('?')[0] ?? ''),
      clientRequestId: error.details?.clientRequestId,
      requestId: error.details?.requestId,
    });
    return error;
  };

  const retry = new Chain(async (context, next) => {
    const o = optionsOf(context);
    const isCa = caPath.test(urlOf(context));
    for (let attempt = 1; ; attempt++) {
      o.lastError = undefined;
      o.claimsStillRequired = false;
      let result: AttemptOutcome;
      try {
        await next(context);
        const res = context.response;
        result = {
          kind: 'response',
          status: res?.status ?? 0,
          retryAfterSeconds: parseRetryAfter(res?.headers.get('retry-after'), deps.clock.now()),
        };
      } catch (error) {
        if (!(error instanceof TransportError)) {
          throw error;
        }
        o.lastError = error;
        result = { kind: 'transport', sent: error.sent, unreachable: unreachableCodes.has(error.code) };
      }
      const decision = decideRetry({
        idempotent: o.idempotent,
        outcome: result,
        attempt,
        settings: deps.retry,
        random: deps.random,
        minDelayMs: isCa ? deps.conditionalAccessIntervalMs : 0,
        retryWrites: o.retryWrites,
      });
      if (isCa && result.kind === 'response' && result.status === 429) {
        // Throttled despite pacing (another process, or the tenant's other apps): slow the whole tenant down.
        deps.caPacers
          .forTenant(o.tenantKey)
          .holdOff(Math.max((result.retryAfterSeconds ?? 0) * 1000, deps.conditionalAccessIntervalMs));
      }
      if (!decision.retry) {
        return;
      }
      deps.logger.debug('graph retry', {
        clientRequestId: o.clientRequestId,
        attempt,
        delayMs: decision.delayMs,
        outcome: result.kind === 'response' ? result.status : 'transport',
      });
      await deps.clock.sleep(decision.delayMs);
    }
  });

  const auth = new Chain(async (context, next) => {
    const o = optionsOf(context);
    const send = async (claims?: string, forceRefresh?: boolean): Promise<void> => {
      const token = await tokenFor(o, context, claims, forceRefresh);
      context.options = { ...context.options, headers: { ...headersOf(context), authorization: `Bearer ${token}` } };
      await next(context);
    };
    await send(o.initialClaims);
    const challenge = context.response?.status === 401 ? context.response.headers.get('www-authenticate') : null;
    const claims = challenge?.includes('error="insufficient_claims"')
      ? /claims="([^"]+)"/.exec(challenge)?.[1]
      : undefined;
    if (claims) {
      // Answer the claims challenge once: re-acquire with the decoded claims, then retry the same request.
      deps.logger.debug('graph claims challenge', { clientRequestId: o.clientRequestId });
      o.challengeClaims = Buffer.from(claims, 'base64').toString('utf8');
      await send(o.challengeClaims);
      const again =
        context.response?.status === 401 &&
        (context.response.headers.get('www-authenticate') ?? '').includes('insufficient_claims');
      o.claimsStillRequired = again;
    } else if (context.response?.status === 401) {
      // A plain 401 (expired or revoked token) was not applied: fetch a fresh token and try once more.
      deps.logger.debug('graph token refused, refreshing', { clientRequestId: o.clientRequestId });
      await send(undefined, true);
    }
  });

  /**
   * Asks identity for a token and translates what the caller must act on: the authority unreachable is Graph being
   * offline (the request was never sent, so nothing can have been applied); a claims challenge that silent
   * acquisition cannot satisfy is `graph.claims-required` carrying the claims, so the UI can sign in again with them.
   */
  const tokenFor = async (
    o: PscRequestOptions,
    context: Context,
    claims: string | undefined,
    forceRefresh: boolean | undefined,
  ): Promise<string> => {
    try {
      return await deps.tokens({ scopes: o.scopes, claims, ...(forceRefresh ? { forceRefresh } : {}) });
    } catch (error) {
      if (!(error instanceof AppError)) {
        throw error;
      }
      const method = (context.options?.method ?? 'GET').toUpperCase();
      const path = new URL(urlOf(context)).pathname.replace(/^\/(v1\.0|beta)/, '');
      if (error.code === 'identity.offline') {
        throw logged(
          new AppError('graph.offline', {
            details: {
              networkCode: 'token-endpoint',
              method,
              clientRequestId: o.clientRequestId,
              outcomeUnknown: false,
            },
            cause: error,
          }),
          method,
          path,
        );
      }
      if (claims !== undefined && error.code === 'identity.interaction-required') {
        throw logged(
          new AppError('graph.claims-required', {
            details: { method, clientRequestId: o.clientRequestId, claims, scopes: [...o.scopes] },
            cause: error,
          }),
          method,
          path,
        );
      }
      throw error;
    }
  };

  const pacing = new Chain(async (context, next) => {
    if (!caPath.test(urlOf(context))) {
      return next(context);
    }
    // Graph allows 1 CA request per second per tenant and sends no Retry-After: pace before sending.
    const release = await deps.caPacers
      .forTenant(optionsOf(context).tenantKey)
      .acquire(deps.conditionalAccessIntervalMs);
    try {
      await next(context);
    } finally {
      release();
    }
  });

  const transport: Middleware = {
    execute: async (context) => {
      const o = optionsOf(context);
      const headers = headersOf(context);
      headers['client-request-id'] = o.clientRequestId;
      const url = urlOf(context);
      const method = (context.options?.method ?? 'GET').toUpperCase();
      const body = context.options?.body;
      const res = await deps.fetch(url, { method, headers, ...(typeof body === 'string' ? { body } : {}) });
      deps.logger.debug('graph request', {
        clientRequestId: o.clientRequestId,
        method,
        // Cheap string slicing: this runs on every request.
        path: redact(url.slice(url.indexOf('/', 8)).split('?')[0] ?? ''),
        status: res.status,
      });
      // The graph client reads status, ok, headers.get and json()/text(): the buffered response provides them.
      context.response = res as unknown as Response;
    },
  };

  outcome.setNext(retry);
  retry.setNext(auth);
  auth.setNext(pacing);
  pacing.setNext(transport);
  return outcome;
}

/** Wraps an AppError so the graph client rethrows it untouched. */
function wrap(error: AppError): GraphClientError {
  const e = new GraphClientError(error.code);
  e.customError = error;
  return e;
}

/** Unwraps errors thrown through the graph client back to AppError. */
export function unwrapGraphError(error: unknown): unknown {
  if (error instanceof GraphClientError && error.customError instanceof AppError) {
    return error.customError;
  }
  return error;
}
