/**
 * Render a distinguished name the way Entra expects it in `certificateUserIds`.
 *
 * ASN.1 order (root-most RDN first), `,` between RDNs with no space, `+` between the attributes of a multi-valued
 * RDN in encoded order, values as decoded (accents and inner spaces kept), quoted only where CertNameToStr would.
 */
import type { DistinguishedName, NameAttribute } from '../certificates/name';
import { ENTRA_ATTRIBUTE_NAMES, QUOTE_TRIGGERS, UNKNOWN_ATTRIBUTE_PREFIX } from './attribute-names';

/** Attribute name for an OID per the Entra table. */
export function attributeName(oid: string): string {
  return ENTRA_ATTRIBUTE_NAMES[oid] ?? `${UNKNOWN_ATTRIBUTE_PREFIX}${oid}`;
}

/** Quote a value when CertNameToStr would (double quotes inside are doubled). */
export function quoteValue(value: string): string {
  const needs = value === '' || /^\s|\s$/.test(value) || QUOTE_TRIGGERS.some((c) => value.includes(c));
  return needs ? `"${value.replace(/"/g, '""')}"` : value;
}

function renderAttribute(a: NameAttribute): string {
  return `${attributeName(a.oid)}=${a.isString ? quoteValue(a.value) : a.value}`;
}

/** Entra DN string of a decoded name. */
export function formatEntraDn(name: DistinguishedName): string {
  return name.map((rdn) => rdn.map(renderAttribute).join('+')).join(',');
}

/** True when the name has features that make Subject-based bindings fragile (multi-valued RDN, title, non-ASCII). */
export function dnRiskFactors(name: DistinguishedName): string[] {
  const risks: string[] = [];
  if (name.some((rdn) => rdn.length > 1)) {
    risks.push('multi-valued-rdn');
  }
  if (name.some((rdn) => rdn.some((a) => a.oid === '2.5.4.12'))) {
    risks.push('title-attribute');
  }
  if (name.some((rdn) => rdn.some((a) => /[^\x20-\x7e]/.test(a.value)))) {
    risks.push('non-ascii');
  }
  if (name.some((rdn) => rdn.some((a) => quoteValue(a.value) !== a.value))) {
    risks.push('quoted-value');
  }
  return risks;
}
