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
  'crl-expired': 'inconnue (CRL expirée)',
};

const REASON: Record<string, string> = {
  'signature-certificate-never-map': 'certificat de signature : ne jamais l’utiliser pour l’association',
  'technical-certificate': 'certificat technique : il ne sert pas à la connexion',
  'ca-certificate': 'certificat d’autorité de certification',
  'legacy-issuer': 'ancienne IGC GIP-CPS, fermée',
  'not-an-authentication-certificate': 'pas un certificat d’authentification',
};

const VALIDITY: Record<string, string> = { valid: 'valide', expired: 'expiré', 'not-yet-valid': 'pas encore valide' };

const date = (iso: string): string => iso.slice(0, 10);

function anchorText(anchor: NonNullable<MappingResult['classification']>['chainAnchor']): string {
  if (anchor === null) {
    return '';
  }
  return anchor.knownIgcSante
    ? ` — ancrée sur ${anchor.knownName ?? anchor.subject} (AC IGC-Santé connue, SHA-256 vérifié)`
    : ` — ancrée sur ${anchor.subject} (AC inconnue de l’assistant)`;
}

/** Render results as indented French text blocks. */
export function renderTable(results: readonly MappingResult[]): string {
  const blocks = results.map((r) => {
    const title = `${r.file}${r.index > 0 ? ` [#${r.index + 1}]` : ''}`;
    if (!r.ok || r.classification === null) {
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
      `  Chaîne        : ${CHAIN[c.chain] ?? c.chain}${anchorText(c.chainAnchor)}`,
      ...(c.issuerKnownCa === null ? [] : [`  AC émettrice  : ${c.issuerKnownCa} (IGC-Santé connue par son nom)`]),
      `  Révocation    : ${REVOCATION[c.revocation.status] ?? c.revocation.status}`,
      ...r.checks.map((check) => `  Contrôle      : ${check.passed ? 'OK ' : 'ÉCHEC'} — ${check.explanation}`),
    ];
    const ids = r.certificateUserIds;
    if (ids === null) {
      lines.push(`  certificateUserIds : aucune valeur (${REASON[r.reason ?? ''] ?? r.reason ?? '?'})`);
    } else {
      lines.push('  certificateUserIds :');
      for (const form of MAPPING_FORM_ORDER) {
        const info = MAPPING_FORMS[form];
        const tag = info.recommended ? ' (recommandé)' : info.risky ? ' (risqué)' : info.ambiguous ? ' (ambigu)' : '';
        lines.push(`    ${`${form}${tag}`.padEnd(36)} ${ids[form] ?? '—'}`);
      }
    }
    if (r.warnings.length > 0) {
      lines.push(`  Avertissements : ${r.warnings.join(', ')}`);
    }
    return lines.join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}
