/**
 * PKI-based trust store routes (`directory/publicKeyInfrastructure/certificateBasedAuthConfigurations`): containers
 * (`certificateBasedAuthPki`) and their `certificateAuthorities` (`certificateAuthorityDetail`), with Graph's rules:
 * one upload at a time (`status: running`, then `succeeded`), no certificate twice in the tenant, read-only
 * certificate fields. Roles per psc-checklist.md §2.8: reads Authentication Administrator and above (not Global
 * Reader), writes Privileged Authentication Administrator or Authentication Administrator.
 */
import { randomUUID } from 'node:crypto';
import { roleTemplateIds as roles } from './seed/identities';
import { arraySource, serveCollection } from './collection';
import { badRequest, notFound } from './errors';
import type { Entity, TenantState } from './model';
import { str } from './model';
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
/** Properties of a CA that PATCH may change (the certificate and what derives from it are fixed). */
const caWritable = new Set([
  'certificateAuthorityType',
  'certificateRevocationListUrl',
  'deltaCertificateRevocationListUrl',
  'displayName',
  'isIssuerHintEnabled',
]);
const caReadOnly = new Set([
  'id',
  'certificate',
  'thumbprint',
  'issuer',
  'issuerSubjectKeyIdentifier',
  'expirationDateTime',
  'createdDateTime',
]);

const nowOf = (ctx: RouteContext): number => ctx.now?.() ?? Date.now();
const iso = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;

function pkiById(t: TenantState, id: string): Entity {
  const p = t.pkiConfigurations.find((x) => x.id.toLowerCase() === id.toLowerCase());
  if (!p) {
    throw notFound(id);
  }
  return p;
}

const casOf = (pki: Entity): Entity[] =>
  Array.isArray(pki.certificateAuthorities) ? (pki.certificateAuthorities as Entity[]) : [];

/** Settles a finished upload (lazily, when the container is next touched): `running` becomes `succeeded`. */
function settle(ctx: RouteContext, pki: Entity): void {
  const pending = ctx.tenant.pkiUploads?.[pki.id];
  if (pending !== undefined && nowOf(ctx) >= pending.completesAt) {
    pki.status = 'succeeded';
    pki.statusDetails = `Uploaded ${pending.uploadUrl}`;
    pki.lastModifiedDateTime = iso(pending.completesAt);
    delete ctx.tenant.pkiUploads?.[pki.id];
  }
}

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

function checkCaType(value: unknown): void {
  if (value !== undefined && value !== 'root' && value !== 'intermediate') {
    throw badRequest(`Invalid value ${JSON.stringify(value)} for certificateAuthorityType.`);
  }
}

/** Normalised certificate bytes (base64 without whitespace), to compare certificates as Graph does. */
const certKey = (value: string): string => value.replace(/\s+/g, '');

function createCa(ctx: RouteContext, [id]: readonly string[]) {
  const pki = pkiById(ctx.tenant, id ?? '');
  const body = objectBody(ctx.body);
  const missing = ['certificate', 'thumbprint', 'expirationDateTime'].filter(
    (k) => typeof body[k] !== 'string' || body[k].length === 0,
  );
  if (missing.length > 0) {
    throw badRequest(`The following required properties are missing: ${missing.join(', ')}.`);
  }
  const certificate = certKey(body.certificate as string);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(certificate)) {
    throw badRequest('Invalid value specified for property certificate: not a base64 encoded certificate.');
  }
  if (certificate.length > 8192 * (4 / 3) + 4) {
    throw badRequest('The certificate authority object exceeds the maximum size of 8 KB.');
  }
  checkCaType(body.certificateAuthorityType);
  // A CA is in the tenant's trust store once, whichever container holds it.
  const duplicate = ctx.tenant.pkiConfigurations.some((p) =>
    casOf(p).some((c) => certKey(str(c, 'certificate') ?? '') === certificate),
  );
  if (duplicate) {
    throw badRequest('Duplicate Certificate exists.');
  }
  if (casOf(pki).length >= 250) {
    throw badRequest('The maximum number of certificate authorities (250) for this PKI has been reached.');
  }
  const ca: Entity = {
    id: randomUUID(),
    certificate,
    certificateAuthorityType:
      typeof body.certificateAuthorityType === 'string' ? body.certificateAuthorityType : 'root',
    certificateRevocationListUrl:
      typeof body.certificateRevocationListUrl === 'string' ? body.certificateRevocationListUrl : null,
    createdDateTime: iso(nowOf(ctx)),
    deltaCertificateRevocationListUrl:
      typeof body.deltaCertificateRevocationListUrl === 'string' ? body.deltaCertificateRevocationListUrl : null,
    displayName: typeof body.displayName === 'string' ? body.displayName : null,
    expirationDateTime: body.expirationDateTime as string,
    isIssuerHintEnabled: body.isIssuerHintEnabled === true,
    issuer: typeof body.issuer === 'string' ? body.issuer : null,
    issuerSubjectKeyIdentifier:
      typeof body.issuerSubjectKeyIdentifier === 'string' ? body.issuerSubjectKeyIdentifier : null,
    thumbprint: body.thumbprint as string,
  };
  pki.certificateAuthorities = [...casOf(pki), ca];
  pki.lastModifiedDateTime = iso(nowOf(ctx));
  return { status: 201, body: ca };
}

function patchCa(ctx: RouteContext, [id, caId]: readonly string[]) {
  const pki = pkiById(ctx.tenant, id ?? '');
  const ca = casOf(pki).find((c) => c.id.toLowerCase() === (caId ?? '').toLowerCase());
  if (!ca) {
    throw notFound(caId ?? '');
  }
  const body = objectBody(ctx.body);
  for (const [k, v] of Object.entries(body)) {
    if (k.startsWith('@odata.')) {
      continue;
    }
    if (caReadOnly.has(k)) {
      if (JSON.stringify(v) !== JSON.stringify(ca[k])) {
        throw badRequest(`Property '${k}' is read-only and cannot be set.`);
      }
      continue;
    }
    if (!caWritable.has(k)) {
      throw badRequest(`Property '${k}' does not exist on type 'microsoft.graph.certificateAuthorityDetail'.`);
    }
  }
  if (body.isIssuerHintEnabled !== undefined && typeof body.isIssuerHintEnabled !== 'boolean') {
    throw badRequest('isIssuerHintEnabled must be a boolean.');
  }
  checkCaType(body.certificateAuthorityType);
  for (const k of ['certificateRevocationListUrl', 'deltaCertificateRevocationListUrl', 'displayName']) {
    if (body[k] !== undefined && body[k] !== null && typeof body[k] !== 'string') {
      throw badRequest(`${k} must be a string.`);
    }
  }
  applyPatch(ca, Object.fromEntries(Object.entries(body).filter(([k]) => caWritable.has(k))), [...caReadOnly]);
  pki.lastModifiedDateTime = iso(nowOf(ctx));
  return { status: 204 };
}

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
    [pki.id]: { completesAt: now + (ctx.tenant.limits.pkiUploadMs ?? defaultUploadMs), uploadUrl: body.uploadUrl },
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
