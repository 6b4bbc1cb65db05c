/**
 * One Graph request through the emulator: authentication (JWT against the authority's JWKS), claims challenges,
 * fault injection, scopes and roles, conditional-access pacing, routing. `$batch` items go through it too.
 */
import { randomUUID } from 'node:crypto';
import type { JwkSet } from '../authority/jwt';
import { verifyJwt } from '../authority/jwt';
import { roleTemplateIds } from './seed/identities';
import type { GraphReply, RequestIds } from './errors';
import { GraphHttpError, graphError } from './errors';
import type { ConformanceChecker, ConformanceViolation } from './conformance';
import { actionOf, entityOf, recordConformance } from './conformance';
import type { FaultInjector } from './faults';
import type { EmulatorState, TenantState } from './model';
import type { Route } from './route-types';
import { appRoutes } from './routes-apps';
import { hideEvolvableMembers, wantsUnknownEnumMembers } from './evolvable';
import { directoryRoutes } from './routes-directory';
import { pkiRoutes } from './routes-pki';
import { policyRoutes } from './routes-policies';
import { strengthRoutes } from './routes-strengths';
import { unmatchedSegment } from './segments';

const routes: readonly Route[] = [...directoryRoutes, ...pkiRoutes, ...strengthRoutes, ...policyRoutes, ...appRoutes];
const graphAudiences = new Set(['00000003-0000-0000-c000-000000000000', 'https://graph.microsoft.com']);

/** A request as the pipeline sees it (from HTTP or from a `$batch` item). */
export type PipelineRequest = {
  readonly method: string;
  readonly version: 'v1.0' | 'beta';
  /** Path after the version, with query string. */
  readonly pathAndQuery: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: unknown;
};

/** Pipeline dependencies. */
export type PipelineDeps = {
  readonly state: EmulatorState;
  readonly jwks: () => JwkSet;
  readonly authorityUrl: string;
  readonly faults: FaultInjector;
  readonly baseUrl: () => string;
  readonly now: () => number;
  /** Conditional-access requests per second per tenant (Graph: 1; 0 disables the limit). */
  readonly caPerSecond: number;
  readonly lastCaRequest: Map<string, number>;
  /** Opt-in schema checker (tests); its findings go to `violations`. */
  readonly conformance?: ConformanceChecker | undefined;
  readonly violations: ConformanceViolation[];
};

/** Outcome: a reply, or an instruction to reset the connection (fault). */
export type PipelineOutcome = {
  readonly reply: GraphReply;
  readonly reset?: boolean;
  /** The reset comes after the request was applied (`reset-after-apply`). */
  readonly applied?: boolean;
  readonly latencyMs: number;
  readonly tenant?: TenantState;
};

const claimsChallenge = (authorityUrl: string, acrs: string): Record<string, string> => {
  const claims = Buffer.from(JSON.stringify({ access_token: { acrs: { essential: true, value: acrs } } })).toString(
    'base64',
  );
  return {
    'www-authenticate': `Bearer realm="", authorization_uri="${authorityUrl}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000", error="insufficient_claims", claims="${claims}"`,
  };
};

function authenticate(
  deps: PipelineDeps,
  header: string | undefined,
): { tenant: TenantState; scopes: Set<string>; roles: string[]; acrs: string[] } {
  const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
  if (!token) {
    throw new GraphHttpError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
  }
  const v = verifyJwt(token, deps.jwks(), Math.floor(deps.now() / 1000));
  if (!v.ok) {
    const message =
      v.reason === 'expired'
        ? 'Lifetime validation failed, the token is expired.'
        : `Access token validation failure (${v.reason}).`;
    throw new GraphHttpError(401, 'InvalidAuthenticationToken', message);
  }
  const c = v.claims;
  if (typeof c.aud !== 'string' || !graphAudiences.has(c.aud)) {
    throw new GraphHttpError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
  }
  const tenant = deps.state.tenants.find((t) => t.id === c.tid);
  if (!tenant) {
    throw new GraphHttpError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid tenant.');
  }
  const scopes = new Set(typeof c.scp === 'string' ? c.scp.split(' ') : []);
  const roles = Array.isArray(c.wids) ? c.wids.filter((x): x is string => typeof x === 'string') : [];
  const acrs = Array.isArray(c.acrs) ? c.acrs.filter((x): x is string => typeof x === 'string') : [];
  return { tenant, scopes, roles, acrs };
}

/** Runs one request (a `$batch` item when `inBatch`) and hands the exchange to the conformance checker; never throws. */
export function runPipeline(deps: PipelineDeps, req: PipelineRequest, inBatch = false): PipelineOutcome {
  const outcome = serve(deps, req);
  if (deps.conformance !== undefined && outcome.reset !== true) {
    const [path = '/', query = ''] = req.pathAndQuery.split('?');
    recordConformance(deps.conformance, deps.violations, {
      method: req.method,
      version: req.version,
      path,
      query,
      entity: entityOf(path),
      action: actionOf(path),
      isBatchEnvelope: false,
      inBatch,
      requestBody: req.body,
      status: outcome.reply.status,
      responseBody: outcome.reply.body,
    });
  }
  return outcome;
}

function serve(deps: PipelineDeps, req: PipelineRequest): PipelineOutcome {
  const ids: RequestIds = {
    requestId: randomUUID(),
    clientRequestId: req.headers['client-request-id'] ?? randomUUID(),
  };
  const url = new URL(req.pathAndQuery, 'https://emulator.invalid');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const routeKey = `${req.method} ${path}`;
  const { latencyMs, fault } = deps.faults.decide(routeKey, deps.now());
  const fail = (e: GraphHttpError, tenant?: TenantState): PipelineOutcome => ({
    reply: graphError(e.status, e.code, e.message, ids, e.headers),
    latencyMs,
    ...(tenant ? { tenant } : {}),
  });
  try {
    if (fault?.kind === 'reset') {
      return { reply: { status: 0 }, reset: true, latencyMs };
    }
    const auth = authenticate(deps, req.headers.authorization);
    if (fault) {
      switch (fault.kind) {
        case 'throttle':
          throw new GraphHttpError(429, 'TooManyRequests', 'Too many requests.', {
            'retry-after': String(fault.retryAfterSeconds ?? 1),
          });
        case 'throttle-no-retry-after':
          throw new GraphHttpError(429, 'TooManyRequests', 'Too many requests.');
        case 'server-error':
          throw new GraphHttpError(500, 'generalException', 'An unexpected error occurred.');
        case 'bad-gateway':
          throw new GraphHttpError(502, 'BadGateway', 'The gateway did not receive a response from the service.');
        case 'gateway-timeout':
          throw new GraphHttpError(
            504,
            'GatewayTimeout',
            'The gateway did not receive a timely response from the service.',
            fault.retryAfterSeconds === undefined ? undefined : { 'retry-after': String(fault.retryAfterSeconds) },
          );
        case 'unavailable':
          throw new GraphHttpError(503, 'serviceNotAvailable', 'The service is temporarily unavailable.', {
            'retry-after': String(fault.retryAfterSeconds ?? 1),
          });
        case 'claims':
          if (!auth.acrs.includes(fault.acrs ?? 'c1')) {
            throw new GraphHttpError(
              401,
              'InvalidAuthenticationToken',
              'Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenCreatedWithOutdatedPolicies',
              claimsChallenge(deps.authorityUrl, fault.acrs ?? 'c1'),
            );
          }
          break;
        default:
          break;
      }
    }
    const route = routes
      .map((r) => ({ r, m: r.method === req.method ? r.pattern.exec(path) : null }))
      .find((x) => x.m !== null);
    if (!route?.m) {
      const known = routes.some((r) => r.pattern.test(path));
      throw known
        ? new GraphHttpError(
            405,
            'Request_BadRequest',
            `The HTTP method '${req.method}' is not allowed for this resource.`,
          )
        : new GraphHttpError(
            400,
            'BadRequest',
            `Resource not found for the segment '${unmatchedSegment(routes, path)}'.`,
          );
    }
    const { r, m } = route;
    if (!r.scopes.some((s) => auth.scopes.has(s))) {
      throw new GraphHttpError(
        403,
        'Authorization_RequestDenied',
        'Insufficient privileges to complete the operation.',
      );
    }
    if (
      r.roles &&
      !auth.roles.includes(roleTemplateIds.globalAdministrator) &&
      !r.roles.some((x) => auth.roles.includes(x))
    ) {
      throw new GraphHttpError(
        403,
        'Authorization_RequestDenied',
        'Insufficient privileges to complete the operation.',
      );
    }
    if (deps.caPerSecond > 0 && path.startsWith('/identity/conditionalAccess')) {
      // Graph: 1 request per second per tenant for CA, and its 429 carries no Retry-After.
      const last = deps.lastCaRequest.get(auth.tenant.id);
      const now = deps.now();
      if (last !== undefined && now - last < (1000 / deps.caPerSecond) * 0.9) {
        throw new GraphHttpError(429, 'TooManyRequests', 'Too many requests for conditional access resources.');
      }
      deps.lastCaRequest.set(auth.tenant.id, now);
    }
    const serviceRoot = `${deps.baseUrl()}/${req.version}`;
    const reply = r.handle(
      {
        tenant: auth.tenant,
        query: url.searchParams,
        body: req.body,
        consistencyLevel: req.headers.consistencylevel,
        ids,
        serviceRoot,
        path,
        now: deps.now,
        publishedPkiFiles: deps.state.publishedPkiFiles,
      },
      m.slice(1).map((x) => x),
    );
    if (fault?.kind === 'reset-after-apply') {
      // The handler ran (the write is in the tenant); the client only sees its connection dropped.
      return { reply: { status: 0 }, reset: true, applied: true, latencyMs, tenant: auth.tenant };
    }
    const body =
      reply.body !== undefined && !wantsUnknownEnumMembers(req.headers.prefer)
        ? hideEvolvableMembers(reply.body)
        : reply.body;
    return {
      reply: {
        ...reply,
        ...(body === undefined ? {} : { body }),
        headers: { ...(reply.headers ?? {}), 'request-id': ids.requestId, 'client-request-id': ids.clientRequestId },
      },
      latencyMs,
      tenant: auth.tenant,
    };
  } catch (error) {
    if (error instanceof GraphHttpError) {
      return fail(error);
    }
    const message = error instanceof Error ? error.message : 'invalid request';
    return fail(new GraphHttpError(400, 'BadRequest', message));
  }
}
