import { describe, expect, it } from 'vitest';
import { certificateExplanations, certificateRefusal } from '../../../electron/services/enrollment/cert-status';
import type { CertificateStatus } from '../../../electron/services/enrollment/cert-status';
import { en } from '../../../shared/i18n/en';
import { fr } from '../../../shared/i18n/fr';

const window = { notBefore: new Date('2025-01-10T08:00:00Z'), notAfter: new Date('2028-01-10T08:00:00Z') };

describe('certificateRefusal: which card statuses refuse the mapping', () => {
  it.each<[string, CertificateStatus, { code: string; messageKey: string; details: Record<string, string> } | null]>([
    ['valid and not revoked', { validity: 'valid', revocation: 'good' }, null],
    ['valid, no CRL (unknown does not block)', { validity: 'valid', revocation: 'unknown-no-crl' }, null],
    ['valid, stale CRL (unknown does not block)', { validity: 'valid', revocation: 'crl-expired' }, null],
    [
      'expired',
      { validity: 'expired', revocation: 'good' },
      {
        code: 'enrollment.certificate-expired',
        messageKey: 'errors.enrollment.certificate-expired-on',
        details: { notAfter: '2028-01-10T08:00:00.000Z', day: '2028-01-10' },
      },
    ],
    [
      'expired with no CRL',
      { validity: 'expired', revocation: 'unknown-no-crl' },
      {
        code: 'enrollment.certificate-expired',
        messageKey: 'errors.enrollment.certificate-expired-on',
        details: { notAfter: '2028-01-10T08:00:00.000Z', day: '2028-01-10' },
      },
    ],
    [
      'not yet valid',
      { validity: 'not-yet-valid', revocation: 'good' },
      {
        code: 'enrollment.certificate-not-yet-valid',
        messageKey: 'errors.enrollment.certificate-not-yet-valid-from',
        details: { notBefore: '2025-01-10T08:00:00.000Z', day: '2025-01-10' },
      },
    ],
    [
      'revoked with a date',
      { validity: 'valid', revocation: 'revoked', revokedAt: '2026-03-04T10:00:00.000Z' },
      {
        code: 'enrollment.certificate-revoked',
        messageKey: 'errors.enrollment.certificate-revoked',
        details: { revokedAt: '2026-03-04T10:00:00.000Z', day: '2026-03-04' },
      },
    ],
    [
      'revoked and expired (revocation named first)',
      { validity: 'expired', revocation: 'revoked' },
      {
        code: 'enrollment.certificate-revoked',
        messageKey: 'errors.enrollment.certificate-revoked',
        details: {},
      },
    ],
  ])('%s', (_label, status, expected) => {
    expect(certificateRefusal(window, status)).toEqual(expected);
  });

  /** The catalog text at `errors.enrollment.<key>`. */
  const text = (catalog: typeof fr | typeof en, key: string): string | undefined =>
    (catalog.errors.enrollment as Record<string, string | undefined>)[key];

  it.each([
    ['certificate-expired', 'certificate-expired-on'],
    ['certificate-not-yet-valid', 'certificate-not-yet-valid-from'],
  ])('%s reads well without details (queue panel); %s names the day', (plain, dated) => {
    for (const catalog of [fr, en]) {
      expect(text(catalog, plain)).toBeDefined();
      expect(text(catalog, plain)).not.toContain('{{');
      expect(text(catalog, dated)).toContain('{{day}}');
    }
  });
});

describe('certificateExplanations: unknown revocation warns and points at the CRL settings', () => {
  it.each<[CertificateStatus['revocation'], string[]]>([
    ['good', []],
    ['revoked', []],
    ['unknown-no-crl', ['certificate.revocation-unknown']],
    ['crl-expired', ['certificate.crl-expired']],
  ])('%s', (revocation, codes) => {
    const explanations = certificateExplanations({ validity: 'valid', revocation });
    expect(explanations.map((e) => e.code)).toEqual(codes);
    for (const e of explanations) {
      expect(e).toMatchObject({ severity: 'warning', checkId: null, form: null });
      const [group, key] = e.code.split('.') as [string, string];
      const frText = (fr.enrollment.explanations as Record<string, Record<string, string>>)[group]?.[key];
      const enText = (en.enrollment.explanations as Record<string, Record<string, string>>)[group]?.[key];
      expect(frText).toMatch(/Paramètres › Autorités de certification et révocation/);
      expect(enText).toMatch(/Settings › Certification authorities and revocation/);
    }
  });
});
