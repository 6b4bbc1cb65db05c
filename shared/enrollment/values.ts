/**
 * Recognise the form of a `certificateUserIds` value and compare values the way the directory would.
 */
import { isValidCertificateUserId, MAPPING_FORM_ORDER, type CertificateUserIds, type MappingForm } from '../mapping';

/** The binding form a value belongs to, or null for a value that is not `X509:<…>` (kept untouched). */
export function formOfValue(value: string): MappingForm | null {
  if (value.startsWith('X509:<PN>')) {
    return 'PrincipalName';
  }
  if (value.startsWith('X509:<RFC822>')) {
    return 'RFC822Name';
  }
  if (value.startsWith('X509:<SKI>')) {
    return 'SKI';
  }
  if (value.startsWith('X509:<SHA1-PUKEY>')) {
    return 'SHA1PublicKey';
  }
  if (value.startsWith('X509:<S>')) {
    return 'Subject';
  }
  if (value.startsWith('X509:<I>')) {
    // Issuer DNs cannot contain `<` unquoted; `<SR>` marks the serial form, `<S>` the subject form.
    if (value.includes('<SR>')) {
      return 'IssuerAndSerialNumber';
    }
    return value.includes('<S>') ? 'IssuerAndSubject' : null;
  }
  return null;
}

const HEX_FORMS: ReadonlySet<MappingForm> = new Set(['SKI', 'SHA1PublicKey', 'IssuerAndSerialNumber']);

/**
 * Comparison key: hex payloads (SKI, SHA1-PUKEY, serial) upper-cased, everything else exact.
 *
 * Tools disagree on hex case (Microsoft's generator writes SKI upper-case, the docs' serial lower-case); two values
 * that differ only there designate the same key, so writing both would be a duplicate, not a second mapping.
 */
export function comparisonKey(value: string): string {
  const form = formOfValue(value);
  if (form === null || !HEX_FORMS.has(form)) {
    return value;
  }
  if (form === 'IssuerAndSerialNumber') {
    const at = value.lastIndexOf('<SR>') + 4;
    return value.slice(0, at) + value.slice(at).toUpperCase();
  }
  const at = value.indexOf('>') + 1;
  return value.slice(0, at) + value.slice(at).toUpperCase();
}

/** True when two values designate the same mapping. */
export function sameMappingValue(a: string, b: string): boolean {
  return comparisonKey(a) === comparisonKey(b);
}

/** Why a value cannot be written, or null when it can. */
export function valueProblem(value: string, maxLength: number): 'value-too-long' | 'invalid-value' | null {
  if (value.length > maxLength) {
    return 'value-too-long';
  }
  // isValidCertificateUserId also checks the 1024 default; our limit may be configured lower.
  if (
    value !== value.trim() ||
    /[\r\n]/.test(value) ||
    // No space around tags (psc-checklist §3.1): `X509:<PN> x`, `…CA <SR>…`, `<S> CN=…` never match.
    /^X509:<[A-Z0-9-]+>\s|\s<(S|SR)>|<(S|SR)>\s/.test(value) ||
    !isValidCertificateUserId(value) ||
    formOfValue(value) === null
  ) {
    return 'invalid-value';
  }
  return null;
}

/** All non-null values of a card, in the canonical form order. */
export function cardValueList(values: CertificateUserIds): { form: MappingForm; value: string }[] {
  return MAPPING_FORM_ORDER.flatMap((form) => {
    const value = values[form];
    return value === null ? [] : [{ form, value }];
  });
}
