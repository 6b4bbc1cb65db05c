/**
 * Human-readable (French) rendering of the tenant overview.
 */
import type { TenantOverview } from '../../shared/contract/account';

const X509: Record<TenantOverview['x509State'], string> = {
  enabled: 'activée',
  disabled: 'désactivée',
  unknown: 'inconnue (lecture refusée)',
};

const count = (value: number | null): string => (value === null ? 'inconnu (lecture refusée)' : String(value));

/** Render the overview as aligned label/value lines. */
export function renderOverview(overview: TenantOverview): string {
  const rows: [string, string][] = [
    ['Organisation', overview.displayName],
    ['Identifiant', overview.tenantId],
    ['Domaines vérifiés', overview.domains.length === 0 ? '—' : overview.domains.join(', ')],
    ['Utilisateurs', count(overview.userCount)],
    ['Méthode X.509 (certificats)', X509[overview.x509State]],
    ["Stratégies d'accès conditionnel", count(overview.conditionalAccessPolicyCount)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return `${rows.map(([label, value]) => `${label.padEnd(width)} : ${value}`).join('\n')}\n`;
}
