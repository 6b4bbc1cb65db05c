/**
 * Stable keys for enrollment steps, so a retried or queued step is recognised (offline queue, journal).
 */
import type { Refusal } from './codes';

/** A SHA-256 implementation returning lowercase hex (injected in tests or when WebCrypto is absent). */
export type Sha256 = (text: string) => Promise<string>;

/** An enrollment step to key. */
export type EnrollmentStep = {
  tenantId: string;
  userId: string;
  operation: 'add-mapping' | 'replace-mapping' | 'remove-mapping' | 'synced-instructions';
  values: readonly string[];
};

/** Key format version: bump if the canonical text changes. */
export const IDEMPOTENCY_KEY_VERSION = 'enr1';

/** Canonical text of a step: ids lower-cased (GUIDs), values sorted and deduplicated, JSON-encoded. */
export function canonicalStepText(step: EnrollmentStep): string {
  const values = [...new Set(step.values)].sort();
  return JSON.stringify([
    IDEMPOTENCY_KEY_VERSION,
    step.tenantId.toLowerCase(),
    step.userId.toLowerCase(),
    step.operation,
    values,
  ]);
}

/** SHA-256 through WebCrypto (`globalThis.crypto.subtle`, present in Node 20 and Electron). */
export const webCryptoSha256: Sha256 = async (text) => {
  const subtle = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
  if (subtle === undefined) {
    throw new Error('WebCrypto unavailable');
  }
  const digest = await subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
};

/** `enr1-<sha256 hex>` of the step, or a refusal when no SHA-256 is available. */
export async function idempotencyKey(
  step: EnrollmentStep,
  sha256: Sha256 = webCryptoSha256,
): Promise<{ ok: true; key: string } | { ok: false; refusal: Refusal }> {
  try {
    const hex = await sha256(canonicalStepText(step));
    return { ok: true, key: `${IDEMPOTENCY_KEY_VERSION}-${hex.toLowerCase()}` };
  } catch (error) {
    return {
      ok: false,
      refusal: {
        code: 'enrollment.crypto-unavailable',
        details: { reason: error instanceof Error ? error.message : 'unknown' },
      },
    };
  }
}
