/**
 * Evolvable enums: Graph returns members added after `unknownFutureValue` only to clients that send
 * `Prefer: include-unknown-enum-members`; others see `unknownFutureValue` (and may write it back destructively,
 * which is why the app always sends the header).
 */
import type { Json } from './model';

/** Members that sit after `unknownFutureValue` in the enums the app reads (v1.0 CSDL). */
export const evolvableMembers: ReadonlySet<string> = new Set(['issuerSubjectAndPolicyOID', 'qrCodePin']);

/** Whether the request asked for evolvable members. */
export function wantsUnknownEnumMembers(prefer: string | undefined): boolean {
  return (prefer ?? '').split(',').some((p) => p.trim().toLowerCase() === 'include-unknown-enum-members');
}

/** Replaces evolvable members by `unknownFutureValue` (also inside flags values such as `password,qrCodePin`). */
export function hideEvolvableMembers(value: unknown, depth = 0): unknown {
  if (depth > 40) {
    return value;
  }
  if (typeof value === 'string') {
    if (evolvableMembers.has(value)) {
      return 'unknownFutureValue';
    }
    if (value.includes(',')) {
      const parts = value.split(',');
      return parts.some((p) => evolvableMembers.has(p))
        ? parts.map((p) => (evolvableMembers.has(p) ? 'unknownFutureValue' : p)).join(',')
        : value;
    }
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((v) => hideEvolvableMembers(v, depth + 1));
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = hideEvolvableMembers(v, depth + 1) as Json;
    }
    return out;
  }
  return value;
}
