import { describe, expect, it } from 'vitest';
import { generateSigningKey, signJwt, verifyJwt } from '../../../../emulators/authority/jwt';

describe('authority emulator JWTs', () => {
  const key = generateSigningKey();
  const other = generateSigningKey();
  const jwks = { keys: [key.jwk] };
  const now = 1_800_000_000;
  const claims = { aud: 'x', exp: now + 60, nbf: now - 1, tid: 't' };

  it('verifies a token it signed', () => {
    expect(verifyJwt(signJwt(key, claims), jwks, now)).toEqual({ ok: true, claims });
  });

  it.each([
    [
      'a tampered payload',
      () => {
        const [h, , s] = signJwt(key, claims).split('.');
        return `${h}.${Buffer.from(JSON.stringify({ ...claims, tid: 'evil' })).toString('base64url')}.${s}`;
      },
      'bad-signature',
    ],
    ['an unknown key', () => signJwt(other, claims), 'unknown-key'],
    ['an expired token', () => signJwt(key, { ...claims, exp: now - 1 }), 'expired'],
    ['garbage', () => 'not.a.jwt', 'malformed'],
    ['two segments', () => 'a.b', 'malformed'],
  ])('refuses %s', (_name, make, reason) => {
    expect(verifyJwt(make(), jwks, now)).toEqual({ ok: false, reason });
  });
});
