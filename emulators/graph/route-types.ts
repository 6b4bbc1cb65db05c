/**
 * Route table types shared by the Graph emulator's handler modules.
 */
import type { GraphReply, RequestIds } from './errors';
import type { Entity, PublishedPkiFile, TenantState } from './model';

/** Everything a handler sees. */
export type RouteContext = {
  readonly tenant: TenantState;
  readonly query: URLSearchParams;
  readonly body: unknown;
  /** `eventual` when the client asked for advanced queries. */
  readonly consistencyLevel: string | undefined;
  readonly ids: RequestIds;
  /** `https://127.0.0.1:port/v1.0` or `/beta`. */
  readonly serviceRoot: string;
  /** Path after the version, e.g. `/users`. */
  readonly path: string;
  /** The emulator's clock (absent in unit tests that build a context by hand: `Date.now`). */
  readonly now?: () => number;
  /** Files PKI uploads can download, by URL (`GraphEmulator.publishPkiFile`). */
  readonly publishedPkiFiles?: ReadonlyMap<string, PublishedPkiFile>;
};

/** One route: method, path pattern, scopes (any of) and directory roles (any of; Global Administrator always passes). */
export type Route = {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
  readonly pattern: RegExp;
  readonly scopes: readonly string[];
  readonly roles?: readonly string[];
  readonly handle: (ctx: RouteContext, params: readonly string[]) => GraphReply;
};

/** A JSON object body or a 400. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new Error('body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

/** Shallow replace-merge of a PATCH body into an entity (collections are replaced, as on Graph). */
export function applyPatch(
  target: Entity,
  patch: Record<string, unknown>,
  immutable: readonly string[] = ['id'],
): void {
  for (const [k, v] of Object.entries(patch)) {
    if (immutable.includes(k)) {
      continue;
    }
    if (
      v !== null &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      target[k] !== null &&
      typeof target[k] === 'object' &&
      !Array.isArray(target[k])
    ) {
      applyPatch(target[k] as Entity, v as Record<string, unknown>, []);
    } else {
      target[k] = structuredClone(v) as Entity[string];
    }
  }
}
