/**
 * Explicit pass/fail checks of an authentication certificate that Entra's certificate-based authentication depends
 * on, reported on their own (not only folded into the role inference of `inspect.ts`).
 */
import { EKU } from './inspect';
import type { CertificateInfo } from './inspect';

/** The checks, in display order. */
export const CERTIFICATE_CHECK_IDS = ['client-auth-eku', 'upn-present'] as const;

/** One check's identifier. */
export type CertificateCheckId = (typeof CERTIFICATE_CHECK_IDS)[number];

/** One check's outcome; `values` fill the explanation's placeholders. */
export type CertificateCheck = { id: CertificateCheckId; passed: boolean; values: Record<string, string> };

/**
 * Run the checks on a certificate.
 *
 * `client-auth-eku`: the extended key usage lists clientAuth (1.3.6.1.5.5.7.3.2) — a certificate without it cannot
 * sign in. `upn-present`: the subject alternative name carries a UPN, which the PrincipalName binding matches.
 */
export function certificateChecks(info: Pick<CertificateInfo, 'extendedKeyUsages' | 'upns'>): CertificateCheck[] {
  const upn = info.upns[0];
  return [
    {
      id: 'client-auth-eku',
      passed: info.extendedKeyUsages.includes(EKU.clientAuth),
      values: { ekus: info.extendedKeyUsages.join(', ') || '—' },
    },
    { id: 'upn-present', passed: upn !== undefined, values: { upn: upn ?? '—' } },
  ];
}
