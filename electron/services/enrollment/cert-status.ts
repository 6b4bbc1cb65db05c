/**
 * Whether a card may still be mapped: an expired, not-yet-valid or revoked authentication certificate is refused
 * before anything is sent (plan, apply, replay, bulk). Removal never asks: taking off the mapping of a lost, revoked
 * or expired card is exactly what the agent must be able to do.
 */
import type { EnrollmentPlan } from '../../../shared/contract/enrollment';
import type { CertificateUsability } from '../../../shared/desk/card-report';
import { AppError } from '../../../shared/errors';
import { resolveDer } from './card';
import type { ResolvedCard } from './card';

/** Validity window and revocation of a card's certificate (the desk's verdict). */
export type CertificateStatus = CertificateUsability;

/** The port the desk provides: the card's status now, against the trust store's CRLs. */
export type CertificateStatusPort = (der: Uint8Array) => Promise<CertificateStatus>;

/** Codes of the refusals decided from the certificate alone. */
export type CertificateRefusalCode =
  'enrollment.certificate-expired' | 'enrollment.certificate-not-yet-valid' | 'enrollment.certificate-revoked';

/**
 * A refusal decided from the certificate alone (no Graph request needed). `messageKey` names the date when there is
 * one (`errors.<code>` itself reads well without details: the queue panel shows a replayed item's code alone).
 */
export type CertificateRefusal = { code: CertificateRefusalCode; messageKey: string; details: Record<string, string> };

/** `YYYY-MM-DD` of an instant (UTC), for the agent's message. */
function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * The refusal a certificate status means, or null when the card may be mapped. Revocation wins over the validity
 * window (a revoked card must be named as such, even once it has also expired). Unknown revocation does not refuse.
 */
export function certificateRefusal(
  window: { notBefore: Date; notAfter: Date },
  status: CertificateStatus,
): CertificateRefusal | null {
  if (status.revocation === 'revoked') {
    const revokedAt = status.revokedAt ?? null;
    return {
      code: 'enrollment.certificate-revoked',
      messageKey: 'errors.enrollment.certificate-revoked',
      details: revokedAt === null ? {} : { revokedAt, day: revokedAt.slice(0, 10) },
    };
  }
  if (status.validity === 'expired') {
    return {
      code: 'enrollment.certificate-expired',
      messageKey: 'errors.enrollment.certificate-expired-on',
      details: { notAfter: window.notAfter.toISOString(), day: day(window.notAfter) },
    };
  }
  if (status.validity === 'not-yet-valid') {
    return {
      code: 'enrollment.certificate-not-yet-valid',
      messageKey: 'errors.enrollment.certificate-not-yet-valid-from',
      details: { notBefore: window.notBefore.toISOString(), day: day(window.notBefore) },
    };
  }
  return null;
}

/** Plan explanations of a status that does not refuse: revocation could not be checked (no CRL, or a stale one). */
export function certificateExplanations(status: CertificateStatus): EnrollmentPlan['explanations'] {
  if (status.revocation === 'unknown-no-crl' || status.revocation === 'crl-expired') {
    return [
      {
        code: status.revocation === 'crl-expired' ? 'certificate.crl-expired' : 'certificate.revocation-unknown',
        severity: 'warning',
        checkId: null,
        form: null,
      },
    ];
  }
  return [];
}

/** The card's status from the port, or undefined when no port is wired (nothing to check against). */
export async function statusOf(
  port: CertificateStatusPort | undefined,
  card: ResolvedCard,
): Promise<CertificateStatus | undefined> {
  return port === undefined ? undefined : port(card.der);
}

/** Throw the refusal of this card's status, if any (apply, replay, bulk: before any Graph request). */
export async function assertCertificateUsable(
  port: CertificateStatusPort | undefined,
  card: ResolvedCard,
): Promise<CertificateStatus | undefined> {
  const status = await statusOf(port, card);
  const refusal = status === undefined ? null : certificateRefusal(card.info, status);
  if (refusal !== null) {
    throw new AppError(refusal.code, {
      messageKey: refusal.messageKey,
      details: { ...refusal.details, serialHex: card.info.serialHex },
    });
  }
  return status;
}

/** Resolve a DER to the card and refuse it when it may not be mapped (bulk rows). */
export async function resolveUsableDer(
  der: Uint8Array,
  port: CertificateStatusPort | undefined,
): Promise<ResolvedCard> {
  const card = await resolveDer(der);
  await assertCertificateUsable(port, card);
  return card;
}
