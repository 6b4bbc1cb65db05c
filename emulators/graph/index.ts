/**
 * Microsoft Graph emulator on loopback HTTPS: the v1.0 and beta subset the app uses, over a coherent in-memory
 * model of the seeded tenants, with `$batch`, paging, scope and role enforcement, and deterministic faults.
 */
import { createServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JwkSet } from '../authority/jwt';
import { readBody, sendJson } from '../authority/http-util';
import { generateLoopbackCertificate } from '../tls/index';
import { runBatch } from './batch';
import type { ConformanceChecker, ConformanceViolation } from './conformance';
import { recordConformance } from './conformance';
import type { FaultRule } from './faults';
import { FaultInjector } from './faults';
import type { EmulatorState, TenantState } from './model';
import { cloneState } from './model';
import type { PipelineDeps } from './pipeline';
import { runPipeline } from './pipeline';
import { pkiFile } from './pki-upload';
import { seedTenants } from './seed/tenants';

/** Options of `startGraphEmulator`. */
export type GraphEmulatorOptions = {
  /** The authority's JWKS (tokens are verified against it). */
  readonly jwks: JwkSet;
  /** The authority's base URL (used in claims challenges). */
  readonly authorityUrl: string;
  readonly tenants?: TenantState[];
  readonly faults?: readonly FaultRule[];
  readonly seed?: number;
  /** Conditional-access pacing enforced by the emulator (default 1 request/s per tenant, as on Graph). */
  readonly conditionalAccessPerSecond?: number;
  readonly port?: number;
  readonly now?: () => number;
  /** Opt-in schema conformance checker (tests): findings are kept in `violations`. */
  readonly conformance?: ConformanceChecker;
};

/**
 * One served request (tests assert on this log: retries, pacing, writes).
 *
 * A `$batch` envelope is one entry (so request counts stay HTTP requests) carrying a `batchId` and its `items`; each
 * item names its envelope in `parentId`. `flattenServed` lists envelopes and items together.
 */
export type ServedRequest = {
  method: string;
  path: string;
  status: number;
  at: number;
  clientRequestId: string | undefined;
  retryAfterSeconds: number | undefined;
  /** Set on a `$batch` envelope: the marker its items carry in `parentId`. */
  batchId?: string;
  /** The items of a `$batch` envelope, in body order, each with its own status and `Retry-After`. */
  items?: ServedRequest[];
  /** Set on a `$batch` item: the `batchId` of its envelope. */
  parentId?: string;
  /** Set on a `$batch` item: its `id` in the batch body. */
  itemId?: string;
};

/** The request log with every `$batch` item listed after its envelope (items keep their `parentId`). */
export function flattenServed(requests: readonly ServedRequest[]): ServedRequest[] {
  return requests.flatMap((r) => [r, ...(r.items ?? [])]);
}

/** A running Graph emulator. */
export type GraphEmulator = {
  readonly url: string;
  readonly caCertPem: string;
  readonly spkiSha256Base64: string;
  readonly state: EmulatorState;
  readonly faults: FaultInjector;
  readonly requests: ServedRequest[];
  /** Schema conformance findings (empty unless a checker was given). */
  readonly violations: ConformanceViolation[];
  /** A tenant by key (`vide`, `clinique-demo`, `conforme`), id or domain. */
  tenant(keyOrId: string): TenantState;
  snapshot(): EmulatorState;
  restore(snapshot: EmulatorState): void;
  setFaults(rules: readonly FaultRule[], seed?: number): void;
  /** Offline: stop listening (connections refused) and drop open ones; online: listen again on the same port. */
  setOffline(offline: boolean): Promise<void>;
  /**
   * Serves a `.p7b` of `certificates` (DER) at `url` for PKI uploads; returns the file and its SHA-256 (what an admin
   * passes as `sha256FileHash`). Uploads of unpublished URLs fail, as unreachable ones do on Graph.
   */
  publishPkiFile(url: string, certificates: readonly Uint8Array[]): { p7b: Uint8Array; sha256: string };
  /** Adds `count` generated users to a tenant (paging bench). */
  generateUsers(tenantKey: string, count: number): void;
  close(): Promise<void>;
};

const maxLog = 200_000;

/** Starts the Graph emulator on 127.0.0.1. */
export async function startGraphEmulator(options: GraphEmulatorOptions): Promise<GraphEmulator> {
  const tls = await generateLoopbackCertificate('graph.psc-emulator.local');
  const state: EmulatorState = { tenants: options.tenants ?? seedTenants() };
  const faults = new FaultInjector(options.seed ?? 1);
  faults.set(options.faults ?? []);
  const now = options.now ?? (() => Date.now());
  const requests: ServedRequest[] = [];
  const violations: ConformanceViolation[] = [];
  let batchCount = 0;
  let baseUrl = '';
  const deps: PipelineDeps = {
    state,
    jwks: () => options.jwks,
    authorityUrl: options.authorityUrl,
    faults,
    baseUrl: () => baseUrl,
    now,
    caPerSecond: options.conditionalAccessPerSecond ?? 1,
    lastCaRequest: new Map(),
    conformance: options.conformance,
    violations,
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = req.url ?? '/';
    const m = /^\/(v1\.0|beta)(\/.*)$/.exec(raw);
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      headers[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    const text = await readBody(req);
    let body: unknown;
    if (text === undefined) {
      sendJson(res, 413, { error: { code: 'RequestEntityTooLarge', message: 'Request body too large.' } });
      return;
    }
    try {
      body = text.length > 0 ? JSON.parse(text) : undefined;
    } catch {
      sendJson(res, 400, { error: { code: 'BadRequest', message: 'Unable to read JSON request payload.' } });
      return;
    }
    if (!m) {
      sendJson(res, 400, { error: { code: 'BadRequest', message: 'Invalid version.' } });
      return;
    }
    const version = m[1] === 'beta' ? 'beta' : 'v1.0';
    const pathAndQuery = m[2] ?? '/';
    const isBatch = req.method === 'POST' && pathAndQuery.split('?')[0] === '/$batch';
    const outcome = isBatch
      ? runBatch(deps, version, headers, body)
      : runPipeline(deps, { method: req.method ?? 'GET', version, pathAndQuery, headers, body });
    if (isBatch) {
      recordConformance(options.conformance, violations, {
        method: 'POST',
        version,
        path: '/$batch',
        query: '',
        entity: undefined,
        isBatchEnvelope: true,
        inBatch: false,
        requestBody: body,
        status: outcome.reply.status,
        responseBody: outcome.reply.body,
      });
    }
    if (outcome.latencyMs > 0) {
      await new Promise((r) => setTimeout(r, outcome.latencyMs));
    }
    if (requests.length < maxLog) {
      const retryAfter = 'reset' in outcome && outcome.reset ? undefined : outcome.reply.headers?.['retry-after'];
      const at = now();
      const clientRequestId = headers['client-request-id'];
      const batchId = 'items' in outcome ? `batch-${String((batchCount += 1))}` : undefined;
      requests.push({
        retryAfterSeconds: retryAfter === undefined ? undefined : Number(retryAfter),
        method: req.method ?? 'GET',
        path: pathAndQuery,
        status: 'reset' in outcome && outcome.reset ? 0 : outcome.reply.status,
        at,
        clientRequestId,
        ...('items' in outcome && batchId !== undefined
          ? {
              batchId,
              // Items carry the envelope's time: the client sees every item's status when the batch answers.
              items: outcome.items.map((item) => ({
                method: item.method,
                path: item.path,
                status: item.status,
                at,
                clientRequestId,
                retryAfterSeconds: item.retryAfterSeconds,
                parentId: batchId,
                itemId: item.id,
              })),
            }
          : {}),
      });
    }
    if ('reset' in outcome && outcome.reset) {
      req.socket.destroy();
      return;
    }
    const { reply } = outcome;
    if (reply.body === undefined) {
      res.writeHead(reply.status, reply.headers ?? {});
      res.end();
    } else {
      sendJson(res, reply.status, reply.body, {
        'content-type':
          'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8',
        ...(reply.headers ?? {}),
      });
    }
  };

  const server = createServer({ cert: tls.certPem, key: tls.keyPem, keepAlive: true }, (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) {
        sendJson(res, 500, { error: { code: 'generalException', message: 'Emulator failure.' } });
      } else {
        res.destroy();
      }
    });
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(options.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  baseUrl = `https://127.0.0.1:${port}`;
  let offline = false;

  const tenant = (k: string): TenantState => {
    const t = state.tenants.find((x) => x.key === k || x.id === k || x.domain === k);
    if (!t) {
      throw new Error(`unknown tenant ${k}`);
    }
    return t;
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
      server.closeAllConnections();
    });

  return {
    url: baseUrl,
    caCertPem: tls.caCertPem,
    spkiSha256Base64: tls.spkiSha256Base64,
    state,
    faults,
    requests,
    violations,
    tenant,
    snapshot: () => cloneState(state),
    restore: (s) => {
      state.tenants = cloneState(s.tenants);
    },
    setFaults: (rules, seed) => {
      faults.set(rules, seed);
    },
    setOffline: async (value) => {
      if (value === offline) {
        return;
      }
      offline = value;
      await (value ? stop() : listen(port));
    },
    publishPkiFile: (url, certificates) => {
      const file = pkiFile(certificates);
      state.publishedPkiFiles ??= new Map();
      state.publishedPkiFiles.set(url, { sha256: file.sha256, certificates: file.certificates });
      return { p7b: file.p7b, sha256: file.sha256 };
    },
    generateUsers: (k, count) => {
      tenant(k).syntheticUserCount += count;
    },
    close: async () => {
      if (!offline) {
        await stop();
      }
    },
  };
}

export type { FaultRule } from './faults';
export type { ConformanceChecker, ConformanceViolation, GraphExchange } from './conformance';
export type { EmulatorState, TenantState, Entity } from './model';
export { seedTenants } from './seed/tenants';
export { buildP7b } from './pki-upload';
export { pscAppId } from './seed/policies';
export { seedTenantIdentities, roleTemplateIds } from './seed/identities';
