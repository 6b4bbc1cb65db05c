/**
 * The CAs of a PKI container (`certificateAuthorityDetail`): create with Graph's required fields and the tenant-wide
 * "Duplicate Certificate exists" rule, and PATCH limited to what the portal lets an admin edit.
 */
import { randomUUID } from 'node:crypto';
import { badRequest, notFound } from './errors';
import type { Entity, TenantState } from './model';
import { str } from './model';
import type { RouteContext } from './route-types';
import { applyPatch, objectBody } from './route-types';

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

/** The emulator clock, or wall time in hand-built contexts. */
export const nowOf = (ctx: RouteContext): number => ctx.now?.() ?? Date.now();
/** Graph's timestamp format (seconds, `Z`). */
export const iso = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** A container by id, or 404. */
export function pkiById(t: TenantState, id: string): Entity {
  const p = t.pkiConfigurations.find((x) => x.id.toLowerCase() === id.toLowerCase());
  if (!p) {
    throw notFound(id);
  }
  return p;
}

/** The CAs of a container. */
export const casOf = (pki: Entity): Entity[] =>
  Array.isArray(pki.certificateAuthorities) ? (pki.certificateAuthorities as Entity[]) : [];

function checkCaType(value: unknown): void {
  if (value !== undefined && value !== 'root' && value !== 'intermediate') {
    throw badRequest(`Invalid value ${JSON.stringify(value)} for certificateAuthorityType.`);
  }
}

/** Normalised certificate bytes (base64 without whitespace), to compare certificates as Graph does. */
const certKey = (value: string): string => value.replace(/\s+/g, '');

/** `POST …/{id}/certificateAuthorities`. */
export function createCa(ctx: RouteContext, [id]: readonly string[]) {
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

/** `PATCH …/{id}/certificateAuthorities/{caId}`. */
export function patchCa(ctx: RouteContext, [id, caId]: readonly string[]) {
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
