/**
 * PKI-based trust store routes (`directory/publicKeyInfrastructure/certificateBasedAuthConfigurations`): containers
 * (`certificateBasedAuthPki`) and their `certificateAuthorities` (`certificateAuthorityDetail`), with Graph's rules:
 * one upload at a time (`status: running`, then `succeeded`), no certificate twice in the tenant, read-only
 * certificate fields (CA handlers in `pki-authorities.ts`). Roles per psc-checklist.md #18: reads Authentication
 * Administrator and above (not Global Reader), writes Privileged Authentication Administrator.
 */
import { randomUUID } from 'node:crypto';
import { casOf, createCa, iso, nowOf, patchCa, pkiById } from './pki-authorities';
import { settleUpload } from './pki-upload';
import { roleTemplateIds as roles } from './seed/identities';
import { arraySource, serveCollection } from './collection';
import { badRequest, notFound } from './errors';
import type { Entity } from './model';
import type { Route, RouteContext } from './route-types';
import { applyPatch, objectBody } from './route-types';

const readScopes = ['PublicKeyInfrastructure.Read.All', 'PublicKeyInfrastructure.ReadWrite.All'];
const writeScopes = ['PublicKeyInfrastructure.ReadWrite.All'];
const readRoles = [roles.authenticationAdministrator, roles.privilegedAuthenticationAdministrator];
// Writes: Privileged Authentication Administrator, the least role the checklist (#18) names for the PKI store.
const writeRoles = [roles.privilegedAuthenticationAdministrator];
const root = String.raw`^\/directory\/publicKeyInfrastructure\/certificateBasedAuthConfigurations`;
const re = (tail: string) => new RegExp(`${root}${tail}$`);

/** How long an upload stays `running` when the tenant does not say (Graph: up to 30 minutes). */
const defaultUploadMs = 1500;
const settle = (ctx: RouteContext, pki: Entity): void => {
  settleUpload(ctx.tenant, pki, nowOf(ctx), ctx.publishedPkiFiles);
};

function view(ctx: RouteContext, pki: Entity, expand: boolean): Entity {
  settle(ctx, pki);
  if (expand) {
    return pki;
  }
  return Object.fromEntries(Object.entries(pki).filter(([k]) => k !== 'certificateAuthorities')) as Entity;
}

const wantsExpand = (ctx: RouteContext): boolean => ctx.query.get('$expand') === 'certificateAuthorities';
const withoutExpand = (ctx: RouteContext): RouteContext => ({
  ...ctx,
  query: new URLSearchParams([...ctx.query].filter(([k]) => k !== '$expand')),
});

function upload(ctx: RouteContext, [id]: readonly string[]) {
  const pki = pkiById(ctx.tenant, id ?? '');
  settle(ctx, pki);
  const body = objectBody(ctx.body);
  if (typeof body.uploadUrl !== 'string' || typeof body.sha256FileHash !== 'string') {
    throw badRequest('uploadUrl and sha256FileHash are required.');
  }
  if (!/^https?:\/\/[^\s/]+\/\S*\.p7b$/i.test(body.uploadUrl)) {
    throw badRequest('uploadUrl must be an internet-accessible HTTP(S) URL of a .p7b file.');
  }
  if (!/^[0-9a-fA-F]{64}$/.test(body.sha256FileHash)) {
    throw badRequest('sha256FileHash must be the SHA-256 of the file (64 hexadecimal characters).');
  }
  if (pki.status === 'running') {
    throw badRequest('A PKI upload is already in progress for this object. Wait for it to complete and try again.');
  }
  const now = nowOf(ctx);
  ctx.tenant.pkiUploads = {
    ...(ctx.tenant.pkiUploads ?? {}),
    [pki.id]: {
      completesAt: now + (ctx.tenant.limits.pkiUploadMs ?? defaultUploadMs),
      uploadUrl: body.uploadUrl,
      sha256FileHash: body.sha256FileHash,
    },
  };
  pki.status = 'running';
  pki.statusDetails = '';
  pki.lastModifiedDateTime = iso(now);
  return { status: 204 };
}

/** PKI trust store routes. */
export const pkiRoutes: readonly Route[] = [
  {
    method: 'GET',
    pattern: re(''),
    scopes: readScopes,
    roles: readRoles,
    handle: (ctx) =>
      serveCollection(
        withoutExpand(ctx),
        arraySource(ctx.tenant.pkiConfigurations.map((p) => view(ctx, p, wantsExpand(ctx)))),
        { context: 'directory/publicKeyInfrastructure/certificateBasedAuthConfigurations' },
      ),
  },
  {
    method: 'POST',
    pattern: re(''),
    scopes: writeScopes,
    roles: writeRoles,
    handle: (ctx) => {
      const body = objectBody(ctx.body);
      if (typeof body.displayName !== 'string' || body.displayName.trim().length === 0) {
        throw badRequest('displayName is required.');
      }
      if (ctx.tenant.pkiConfigurations.some((p) => p.displayName === body.displayName)) {
        throw badRequest(`A PKI named '${body.displayName}' already exists.`);
      }
      const pki: Entity = {
        id: randomUUID(),
        displayName: body.displayName,
        lastModifiedDateTime: iso(nowOf(ctx)),
        status: null,
        statusDetails: null,
        certificateAuthorities: [],
      };
      ctx.tenant.pkiConfigurations.push(pki);
      return { status: 201, body: view(ctx, pki, false) };
    },
  },
  {
    method: 'GET',
    pattern: re(String.raw`\/([^/]+)`),
    scopes: readScopes,
    roles: readRoles,
    handle: (ctx, [id]) => ({ status: 200, body: view(ctx, pkiById(ctx.tenant, id ?? ''), wantsExpand(ctx)) }),
  },
  {
    method: 'PATCH',
    pattern: re(String.raw`\/([^/]+)`),
    scopes: writeScopes,
    roles: writeRoles,
    handle: (ctx, [id]) => {
      const pki = pkiById(ctx.tenant, id ?? '');
      const body = objectBody(ctx.body);
      if (typeof body.displayName !== 'string' || Object.keys(body).some((k) => k !== 'displayName')) {
        throw badRequest('Only displayName can be updated on a certificateBasedAuthPki.');
      }
      applyPatch(pki, { displayName: body.displayName });
      pki.lastModifiedDateTime = iso(nowOf(ctx));
      return { status: 204 };
    },
  },
  {
    method: 'DELETE',
    pattern: re(String.raw`\/([^/]+)`),
    scopes: writeScopes,
    roles: writeRoles,
    handle: (ctx, [id]) => {
      const pki = pkiById(ctx.tenant, id ?? '');
      ctx.tenant.pkiConfigurations = ctx.tenant.pkiConfigurations.filter((p) => p !== pki);
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    pattern: re(String.raw`\/([^/]+)\/(?:microsoft\.graph\.)?upload`),
    scopes: writeScopes,
    roles: writeRoles,
    handle: upload,
  },
  {
    method: 'GET',
    pattern: re(String.raw`\/([^/]+)\/certificateAuthorities`),
    scopes: readScopes,
    roles: readRoles,
    handle: (ctx, [id]) => {
      const pki = pkiById(ctx.tenant, id ?? '');
      settle(ctx, pki);
      return serveCollection(ctx, arraySource(casOf(pki)), { context: 'certificateAuthorityDetail' });
    },
  },
  {
    method: 'POST',
    pattern: re(String.raw`\/([^/]+)\/certificateAuthorities`),
    scopes: writeScopes,
    roles: writeRoles,
    handle: createCa,
  },
  {
    method: 'GET',
    pattern: re(String.raw`\/([^/]+)\/certificateAuthorities\/([^/]+)`),
    scopes: readScopes,
    roles: readRoles,
    handle: (ctx, [id, caId]) => {
      const ca = casOf(pkiById(ctx.tenant, id ?? '')).find((c) => c.id.toLowerCase() === (caId ?? '').toLowerCase());
      if (!ca) {
        throw notFound(caId ?? '');
      }
      return { status: 200, body: ca };
    },
  },
  {
    method: 'PATCH',
    pattern: re(String.raw`\/([^/]+)\/certificateAuthorities\/([^/]+)`),
    scopes: writeScopes,
    roles: writeRoles,
    handle: patchCa,
  },
  {
    method: 'DELETE',
    pattern: re(String.raw`\/([^/]+)\/certificateAuthorities\/([^/]+)`),
    scopes: writeScopes,
    roles: writeRoles,
    handle: (ctx, [id, caId]) => {
      const pki = pkiById(ctx.tenant, id ?? '');
      const cas = casOf(pki);
      const ca = cas.find((c) => c.id.toLowerCase() === (caId ?? '').toLowerCase());
      if (!ca) {
        throw notFound(caId ?? '');
      }
      pki.certificateAuthorities = cas.filter((c) => c !== ca);
      pki.lastModifiedDateTime = iso(nowOf(ctx));
      return { status: 204 };
    },
  },
];
