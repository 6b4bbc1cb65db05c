/**
 * RS256 JSON Web Tokens for the authority emulator, and their verification for the Graph emulator.
 *
 * Node's `crypto` signs and verifies; keys travel as JWK so the Graph emulator verifies against the published JWKS
 * exactly as a resource server verifies Entra tokens.
 */
import { createPublicKey, createSign, createVerify, generateKeyPairSync, randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';

/** A public signing key as published on the JWKS endpoint. */
export type PublicJwk = {
  readonly kty: 'RSA';
  readonly kid: string;
  readonly use: 'sig';
  readonly alg: 'RS256';
  readonly n: string;
  readonly e: string;
};

/** The JWKS document (`{ keys: [...] }`). */
export type JwkSet = { readonly keys: readonly PublicJwk[] };

/** A private signing key with its published half. */
export type SigningKey = { readonly kid: string; readonly privateKey: KeyObject; readonly jwk: PublicJwk };

const b64url = (input: Buffer | string): string => Buffer.from(input).toString('base64url');

/** Generates a fresh RSA 2048 signing key. */
export function generateSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID().replaceAll('-', '').slice(0, 20);
  const exported = publicKey.export({ format: 'jwk' });
  const jwk: PublicJwk = { kty: 'RSA', kid, use: 'sig', alg: 'RS256', n: exported.n ?? '', e: exported.e ?? '' };
  return { kid, privateKey, jwk };
}

/** Signs a claim set as a compact RS256 JWT. */
export function signJwt(key: SigningKey, claims: Record<string, unknown>): string {
  const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid: key.kid }));
  const payload = b64url(JSON.stringify(claims));
  const signer = createSign('RSA-SHA256');
  signer.update(`${header}.${payload}`);
  return `${header}.${payload}.${signer.sign(key.privateKey).toString('base64url')}`;
}

const headerSchema = z.object({ alg: z.literal('RS256'), kid: z.string() });

/** Why a token was refused. */
export type JwtFailure = 'malformed' | 'unknown-key' | 'bad-signature' | 'expired' | 'not-yet-valid';

/** Outcome of a verification. */
export type JwtVerification =
  { readonly ok: true; readonly claims: Record<string, unknown> } | { readonly ok: false; readonly reason: JwtFailure };

/** Verifies signature and lifetime of a compact JWT against a JWKS (`nowSeconds` injectable for tests). */
export function verifyJwt(token: string, jwks: JwkSet, nowSeconds = Math.floor(Date.now() / 1000)): JwtVerification {
  const parts = token.split('.');
  if (parts.length !== 3) {
    return { ok: false, reason: 'malformed' };
  }
  const [h = '', p = '', s = ''] = parts;
  let header: z.infer<typeof headerSchema>;
  let claims: Record<string, unknown>;
  try {
    header = headerSchema.parse(JSON.parse(Buffer.from(h, 'base64url').toString('utf8')));
    claims = z.record(z.string(), z.unknown()).parse(JSON.parse(Buffer.from(p, 'base64url').toString('utf8')));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  if (!jwk) {
    return { ok: false, reason: 'unknown-key' };
  }
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${h}.${p}`);
  const publicKey = createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: 'jwk' });
  if (!verifier.verify(publicKey, Buffer.from(s, 'base64url'))) {
    return { ok: false, reason: 'bad-signature' };
  }
  const exp = typeof claims.exp === 'number' ? claims.exp : 0;
  const nbf = typeof claims.nbf === 'number' ? claims.nbf : 0;
  if (exp <= nowSeconds) {
    return { ok: false, reason: 'expired' };
  }
  if (nbf > nowSeconds + 300) {
    return { ok: false, reason: 'not-yet-valid' };
  }
  return { ok: true, claims };
}
