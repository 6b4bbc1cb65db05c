/**
 * Human-readable (French) rendering of `mappings` results.
 */
import { MAPPING_FORM_ORDER, MAPPING_FORMS } from '../../shared/mapping';
import type { MappingResult } from './mappings';

const KIND: Record<string, string> = {
  'cpx-auth': "Certificat d'authentification CPx",
  'cpx-signature': 'Certificat de signature CPx (ne jamais utiliser pour le mapping)',
  'cpx-technical': 'Certificat technique CPx',
  legacy: 'Ancienne IGC GIP-CPS (obsolète)',
  other: 'Autre certificat',
};

const CHAIN: Record<string, string> = {
  valid: 'valide',
  untrusted: 'non approuvée',
  'invalid-signature': 'signature invalide',
  'ca-expired': 'AC expirée',
  unknown: 'non vérifiée (aucune AC fournie)',
};

const REVOCATION: Record<string, string> = {
  good: 'non révoqué',
  revoked: 'RÉVOQUÉ',
  'unknown-no-crl': 'inconnue (pas de CRL)',
  'crl-expired': 'CRL périmée',
};

const VALIDITY: Record<string, string> = { valid: 'valide', expired: 'expiré', 'not-yet-valid': 'pas encore valide' };

const date = (iso: string): string => iso.slice(0, 10);

/** Render results as indented French text blocks. */
export function renderTable(results: readonly MappingResult[]): string {
  const blocks = results.map((r) => {
    const title = `${r.file}${r.index > 0 ? ` [#${r.index + 1}]` : ''}`;
    if (!r.ok || r.classification === null || r.certificateUserIds === null) {
      return `${title}\n  ERREUR : ${r.error?.message ?? 'inconnue'} (${r.error?.code ?? '?'})`;
    }
    const c = r.classification;
    const lines = [
      title,
      `  Type          : ${KIND[c.kind] ?? c.kind}${c.testCard === true ? ' — carte de TEST' : ''}${c.cardType === null ? '' : ` — ${c.cardType}`}`,
      `  Identifiant   : ${c.identifierType === null ? '—' : `${c.identifierType.toUpperCase()} ${c.identifier ?? ''}`}`,
      `  UPN (SAN)     : ${c.upn ?? '—'}`,
      `  Sujet         : ${c.subject}`,
      `  Émetteur      : ${c.issuer}`,
      `  Validité      : du ${date(c.notBefore)} au ${date(c.notAfter)} (${VALIDITY[c.validity] ?? c.validity})`,
      `  Chaîne        : ${CHAIN[c.chain] ?? c.chain}`,
      `  Révocation    : ${REVOCATION[c.revoked] ?? c.revoked}`,
      `  certificateUserIds${r.usableForMapping ? '' : ' (à ne pas utiliser pour ce certificat)'} :`,
    ];
    for (const form of MAPPING_FORM_ORDER) {
      const info = MAPPING_FORMS[form];
      const tag = info.recommended ? ' (recommandé)' : info.risky ? ' (risqué)' : info.ambiguous ? ' (ambigu)' : '';
      lines.push(`    ${`${form}${tag}`.padEnd(36)} ${r.certificateUserIds[form] ?? '—'}`);
    }
    if (r.warnings.length > 0) {
      lines.push(`  Avertissements : ${r.warnings.join(', ')}`);
    }
    return lines.join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}
