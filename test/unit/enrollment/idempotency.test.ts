import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalStepText, idempotencyKey, webCryptoSha256, type EnrollmentStep } from '../../../shared/enrollment';

const step: EnrollmentStep = {
  tenantId: 'AAAA-1111',
  userId: 'BBBB-2222',
  operation: 'add-mapping',
  values: ['X509:<SKI>AB', 'X509:<PN>x@carte-cps.fr'],
};

async function keyOf(s: EnrollmentStep): Promise<string> {
  const r = await idempotencyKey(s);
  if (!r.ok) {
    throw new Error(r.refusal.code);
  }
  return r.key;
}

describe('idempotencyKey', () => {
  it('hashes the canonical text with SHA-256 (checked against node:crypto)', async () => {
    const expected = createHash('sha256').update(canonicalStepText(step), 'utf8').digest('hex');
    expect(await keyOf(step)).toBe(`enr1-${expected}`);
    expect(await webCryptoSha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it.each<[string, Partial<EnrollmentStep>]>([
    ['value order', { values: [...step.values].reverse() }],
    ['duplicate values', { values: [...step.values, ...step.values] }],
    ['id case', { tenantId: 'aaaa-1111', userId: 'bbbb-2222' }],
  ])('does not depend on %s', async (_label, change) => {
    expect(await keyOf({ ...step, ...change })).toBe(await keyOf(step));
  });

  it.each<[string, Partial<EnrollmentStep>]>([
    ['the tenant', { tenantId: 'other' }],
    ['the user', { userId: 'other' }],
    ['the operation', { operation: 'remove-mapping' }],
    ['the values', { values: ['X509:<SKI>AC'] }],
  ])('changes with %s', async (_label, change) => {
    expect(await keyOf({ ...step, ...change })).not.toBe(await keyOf(step));
  });

  it('accepts an injected hash and reports a failing one as a refusal', async () => {
    expect(await idempotencyKey(step, () => Promise.resolve('ABC'))).toEqual({ ok: true, key: 'enr1-abc' });
    const failed = await idempotencyKey(step, () => Promise.reject(new Error('no crypto')));
    expect(failed).toEqual({
      ok: false,
      refusal: { code: 'enrollment.crypto-unavailable', details: { reason: 'no crypto' } },
    });
  });
});
