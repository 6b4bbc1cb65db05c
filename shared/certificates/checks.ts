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

/**
 * One check's outcome; `values` fill the explanation's placeholders. `variant` names a third wording beside
 * pass/fail: `unrestricted` for a certificate without any EKU extension (passes: usable for any purpose).
 */
export type CertificateCheck = {
  id: CertificateCheckId;
  passed: boolean;
  values: Record<string, string>;
  variant?: 'unrestricted';
};

/**
 * Run the checks on a certificate.
 *
 * `client-auth-eku`: the extended key usage lists clientAuth (1.3.6.1.5.5.7.3.2), or there is no EKU extension at
 * all — a certificate whose EKU leaves clientAuth out cannot sign in. `upn-present`: the subject alternative name carries a UPN, which the PrincipalName binding matches.
 */
export function certificateChecks(
  info: Pick<CertificateInfo, 'extendedKeyUsages' | 'upns'> & Partial<Pick<CertificateInfo, 'hasExtendedKeyUsage'>>,
): CertificateCheck[] {
  const upn = info.upns[0];
  // Without the extension the certificate is unrestricted (RFC 5280 §4.2.1.12), not "missing clientAuth".
  const unrestricted = !(info.hasExtendedKeyUsage ?? info.extendedKeyUsages.length > 0);
  return [
    {
      id: 'client-auth-eku',
      passed: unrestricted || info.extendedKeyUsages.includes(EKU.clientAuth),
      values: { ekus: info.extendedKeyUsages.join(', ') || '—' },
      ...(unrestricted ? { variant: 'unrestricted' as const } : {}),
    },
    { id: 'upn-present', passed: upn !== undefined, values: { upn: upn ?? '—' } },
  ];
}
