/**
 * Human-readable (French) rendering of `mappings` results.
 */
import { MAPPING_FORM_ORDER, MAPPING_FORMS } from '../../shared/mapping';
import type { MappingResult } from './mappings';
import { catalogText } from './messages';

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

/** `RPPS 810…`, or for a structure's staff (CPE/CPA) the structure's FINESS and the internal staff number. */
function identifierText(c: NonNullable<MappingResult['classification']>): string {
  if (c.identifierType === null) {
    return '—';
  }
  if (c.structureId !== null && c.staffNumber !== null) {
    return catalogText('desk.identifierStaff', { structureId: c.structureId, staffNumber: c.staffNumber });
  }
  return `${catalogText(`desk.identifierTypes.${c.identifierType}`)} ${c.identifier ?? ''}`;
}

/** A warning code in words (`desk.mappingWarnings`); an unknown code is shown as is rather than dropped. */
function warningText(code: string): string {
  const key = `desk.mappingWarnings.${code}`;
  const text = catalogText(key);
  return text === key ? code : text;
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
      `  Identifiant   : ${identifierText(c)}`,
      `  UPN (SAN)     : ${c.upn ?? '—'}`,
      `  Sujet         : ${c.subject}`,
      `  Émetteur      : ${c.issuer}`,
      `  Validité      : du ${date(c.notBefore)} au ${date(c.notAfter)} (${VALIDITY[c.validity] ?? c.validity})`,
      `  Chaîne        : ${CHAIN[c.chain] ?? c.chain}${anchorText(c.chainAnchor)}`,
      ...(c.issuerKnownCa === null ? [] : [`  AC émettrice  : ${c.issuerKnownCa} (IGC-Santé connue par son nom)`]),
      ...c.crlUrls.map((url) => `  LCR (certif.) : ${url}`),
      ...(c.issuerCrl === null
        ? []
        : [
            `  LCR de l’AC   : ${c.issuerCrl.url}${c.issuerCrl.verified ? '' : ` — ${catalogText('desk.crlUrlUnverified')}`}`,
          ]),
      `  Révocation    : ${REVOCATION[c.revocation.status] ?? c.revocation.status}`,
      ...r.checks.map((check) => `  Contrôle      : ${check.passed ? 'OK ' : 'ÉCHEC'} — ${check.explanation}`),
    ];
    const ids = r.certificateUserIds;
    if (!r.usableForMapping) {
      // Humans copy what they see: the values stay in --format json (with usableForMapping: false), not here.
      const why = r.reason === null ? '' : ` ${catalogText(`desk.notMappable.${r.reason}`)}`;
      lines.push(`  certificateUserIds : à ne pas écrire.${why}`);
    } else {
      lines.push('  certificateUserIds :');
      for (const form of MAPPING_FORM_ORDER) {
        const info = MAPPING_FORMS[form];
        const tag = info.recommended ? ' (recommandé)' : info.risky ? ' (risqué)' : info.ambiguous ? ' (ambigu)' : '';
        lines.push(`    ${`${form}${tag}`.padEnd(36)} ${ids[form] ?? '—'}`);
      }
    }
    if (r.warnings.length > 0) {
      lines.push(`  Avertissements : ${r.warnings.map(warningText).join(' ; ')}`);
    }
    return lines.join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}
