/**
 * Command-line parsing for `psc-assistant` (no dependency: the surface is small and must stay predictable).
 */

/** Parsed `mappings` command. */
export type MappingsArgs = {
  command: 'mappings';
  files: string[];
  format: 'json' | 'table';
  trust: string[];
  crls: string[];
  now: Date;
};

/** Parsed command line. */
export type CliArgs = MappingsArgs | { command: 'help' };

/** Usage error with a message for the user. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Usage text (French first: the audience is French hospital IT). */
export const USAGE = `Usage : psc-assistant mappings <fichier…> [--format json|table] [--trust <dossier|fichier>]… [--crl <fichier>]… [--now <date ISO>]

Calcule les valeurs certificateUserIds (Entra ID) de certificats DER, PEM ou PKCS#7 (.p7b).
  --format   json (défaut) ou table
  --trust    certificats d'AC de confiance (racines et intermédiaires), dossier ou fichier, répétable
  --crl      liste de révocation (DER ou PEM), répétable
  --now      date de référence pour les validités (défaut : maintenant)
Code de sortie : 0 si tout est lu, 2 si un fichier est illisible, 1 en cas d'erreur d'usage.

Autres commandes :
  psc-assistant tenant [--tenant <id|domaine>] [--client-id <id>] [--demo] [--format json|table]
  psc-assistant journal verify|export …
`;

/**
 * Walk command-line arguments, splitting `--flag=value` and `--flag value`. `onArgument` gets each flag (or bare
 * argument) and a `value()` that consumes the flag's value, throwing `missingValue(flag)` when there is none.
 */
export function forEachArgument(
  args: readonly string[],
  onArgument: (flag: string, value: () => string) => void,
  missingValue: (flag: string) => Error,
): void {
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    const eq = arg.indexOf('=');
    const [flag, inline] = arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    onArgument(flag, () => {
      const v = inline ?? args[(i += 1)];
      if (v === undefined || v === '') {
        throw missingValue(flag);
      }
      return v;
    });
  }
}

/** Parse argv (without node and script). */
export function parseArgs(argv: readonly string[], now: Date): CliArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    return { command: 'help' };
  }
  if (command !== 'mappings') {
    throw new UsageError(`Commande inconnue : ${command}`);
  }
  // `mappings --help` asks for the usage, wherever the flag stands: it is not a usage error.
  if (rest.includes('--help') || rest.includes('-h')) {
    return { command: 'help' };
  }
  const out: MappingsArgs = { command: 'mappings', files: [], format: 'json', trust: [], crls: [], now };
  forEachArgument(
    rest,
    (flag, value) => {
      switch (flag) {
        case '--format': {
          const f = value();
          if (f !== 'json' && f !== 'table') {
            throw new UsageError(`Format inconnu : ${f} (json ou table)`);
          }
          out.format = f;
          break;
        }
        case '--trust':
          out.trust.push(value());
          break;
        case '--crl':
          out.crls.push(value());
          break;
        case '--now': {
          const d = new Date(value());
          if (Number.isNaN(d.getTime())) {
            throw new UsageError('Date invalide pour --now');
          }
          out.now = d;
          break;
        }
        default:
          if (flag.startsWith('--')) {
            throw new UsageError(`Option inconnue : ${flag}`);
          }
          out.files.push(flag);
      }
    },
    (flag) => new UsageError(`Valeur manquante pour ${flag}`),
  );
  if (out.files.length === 0) {
    throw new UsageError('Aucun fichier de certificat fourni');
  }
  return out;
}
