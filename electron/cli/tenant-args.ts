/**
 * Command-line parsing for `psc-assistant tenant` (sign in with a device code, print the tenant overview).
 */
import { z } from 'zod';
import { forEachArgument } from './args';

/** Parsed `tenant` command. */
export type TenantArgs = {
  /** Tenant id or verified domain; undefined: the demo tenant (demo) or `organizations` (live). */
  tenant: string | undefined;
  clientId: string | undefined;
  demo: boolean;
  format: 'json' | 'table';
};

/** Usage error of the tenant command, with a French message for the user. */
export class TenantUsageError extends Error {
  override readonly name = 'TenantUsageError';
}

/** Usage text of the tenant command. */
export const TENANT_USAGE = `Usage : psc-assistant tenant [--tenant <id|domaine>] [--client-id <id>] [--demo] [--format json|table]

Connexion par code (device code) puis lecture seule de la vue d'ensemble du locataire : organisation, domaines,
nombre d'utilisateurs, état de la méthode X.509, nombre de stratégies d'accès conditionnel.
  --tenant     identifiant ou domaine vérifié du locataire (défaut : le locataire de démonstration avec --demo,
               sinon celui du compte qui se connecte)
  --client-id  identifiant d'application (client ID) de l'inscription Entra (défaut : celui des Paramètres de l'application)
  --demo       nuage de démonstration intégré (clinique-demo, hors ligne), code approuvé automatiquement
  --format     json (défaut) ou table
Code de sortie : 0 si la lecture aboutit, 1 en cas d'erreur d'usage, 2 en cas d'échec, 130 si la connexion est annulée (Ctrl-C).
`;

// Same bound as the authority's tenant check; longer or odd input is a typo, not a tenant.
const tenantPattern = /^[a-z0-9.-]{1,253}$/i;

/** Parse the arguments after `tenant`. */
export function parseTenantArgs(argv: readonly string[]): TenantArgs {
  const out: TenantArgs = { tenant: undefined, clientId: undefined, demo: false, format: 'json' };
  forEachArgument(
    argv,
    (flag, value) => {
      switch (flag) {
        case '--tenant': {
          const tenant = value();
          if (!tenantPattern.test(tenant)) {
            throw new TenantUsageError(`Locataire invalide : ${tenant.slice(0, 80)} (identifiant ou domaine attendu)`);
          }
          out.tenant = tenant;
          break;
        }
        case '--client-id': {
          const id = value();
          if (!z.uuid().safeParse(id).success) {
            throw new TenantUsageError(`Identifiant d'application invalide : ${id.slice(0, 80)} (GUID attendu)`);
          }
          out.clientId = id;
          break;
        }
        case '--demo':
          out.demo = true;
          break;
        case '--format': {
          const f = value();
          if (f !== 'json' && f !== 'table') {
            throw new TenantUsageError(`Format inconnu : ${f} (json ou table)`);
          }
          out.format = f;
          break;
        }
        default:
          throw new TenantUsageError(
            flag.startsWith('--') ? `Option inconnue : ${flag}` : `Argument inattendu : ${flag}`,
          );
      }
    },
    (flag) => new TenantUsageError(`Valeur manquante pour ${flag}`),
  );
  if (out.demo && out.clientId !== undefined) {
    throw new TenantUsageError('--client-id ne sert pas en mode démonstration (--demo)');
  }
  return out;
}
