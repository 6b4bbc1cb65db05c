/**
 * `psc-assistant journal verify|export`: check the enrollment journal's hash chain and export it, read-only.
 */
import { readFileSync } from 'node:fs';
import { AppError } from '../../shared/errors';
import { forEachArgument } from './args';
import { defaultDbPath, openJournalReader } from '../services/store';
import type { ChainProblem, ExportFormat, VerifyReport } from '../services/store';

/** Where the journal command writes (same shape as the CLI's io). */
export type JournalIo = {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  now: () => Date;
  env?: Readonly<Record<string, string | undefined>>;
};

/** Exit codes: 0 intact, 1 usage, 2 database unusable, 3 journal tampered. */
export const JOURNAL_EXIT = { ok: 0, usage: 1, unusable: 2, tampered: 3 } as const;

/** Usage text of the journal command. */
export const JOURNAL_USAGE = `Usage : psc-assistant journal verify [--expect-head <n°>:<empreinte>] [--db <fichier>]
        psc-assistant journal export --format csv|json [--pseudonymize-key-file <fichier>] [--db <fichier>]

Vérifie la chaîne d'empreintes du journal des enrôlements, ou l'exporte (sortie standard).
  --db                      base SQLite (défaut : $PSC_ASSISTANT_DATA_DIR/live/psc-assistant.db
                            ou ~/.config/psc-assistant/live/psc-assistant.db)
  --expect-head             tête relevée lors d'une vérification ou d'un export précédent, conservée ailleurs :
                            le journal doit toujours l'atteindre avec la même empreinte
  --format                  csv ou json (export)
  --pseudonymize-key-file   fichier contenant la clé HMAC (16 caractères au moins) : UPN, identifiants, numéros
                            de carte pseudonymisés ; ou la variable d'environnement PSC_PSEUDONYMIZE_KEY
  --pseudonymize-key        la clé en clair (déconseillé : visible dans ps et l'historique du shell)
Le journal est aussi comparé aux têtes consignées hors de la base (journal-head.log, à côté de la base).
L'export affiche la tête du journal sur la sortie d'erreur : conservez-la pour --expect-head.
Code de sortie : 0 journal intègre, 1 erreur d'usage, 2 base illisible ou absente, 3 journal altéré.
`;

/** Where the pseudonymisation key comes from (never echoed). */
type KeySource = { kind: 'argument'; key: string } | { kind: 'file'; path: string } | { kind: 'none' };

type JournalArgs =
  | { action: 'verify'; db: string | undefined; expectHead: { seq: number; hash: string } | undefined }
  | { action: 'export'; db: string | undefined; format: ExportFormat; key: KeySource };

/** Parse `<seq>:<sha-256 hex>` (the head printed by verify and export). */
export function parseExpectedHead(text: string): { seq: number; hash: string } | undefined {
  const match = /^(\d{1,15}):([0-9a-fA-F]{64})$/.exec(text.trim());
  const seq = Number(match?.[1]);
  return match === null || !Number.isSafeInteger(seq) || seq < 1
    ? undefined
    : { seq, hash: (match[2] ?? '').toLowerCase() };
}

class JournalUsageError extends Error {}

function parse(argv: readonly string[]): JournalArgs {
  const [action, ...rest] = argv;
  if (action !== 'verify' && action !== 'export') {
    throw new JournalUsageError(action === undefined ? 'Action manquante' : `Action inconnue : ${action}`);
  }
  let db: string | undefined;
  let format: string | undefined;
  let key: KeySource = { kind: 'none' };
  let expectHead: { seq: number; hash: string } | undefined;
  forEachArgument(
    rest,
    (flag, value) => {
      if (flag === '--db') {
        db = value();
      } else if (flag === '--format' && action === 'export') {
        format = value();
      } else if (flag === '--pseudonymize-key' && action === 'export') {
        key = { kind: 'argument', key: value() };
      } else if (flag === '--pseudonymize-key-file' && action === 'export') {
        key = { kind: 'file', path: value() };
      } else if (flag === '--expect-head' && action === 'verify') {
        const raw = value();
        expectHead = parseExpectedHead(raw);
        if (expectHead === undefined) {
          throw new JournalUsageError(`--expect-head attend <n°>:<empreinte SHA-256>, reçu : ${raw}`);
        }
      } else {
        throw new JournalUsageError(`Option inconnue : ${flag}`);
      }
    },
    (flag) => new JournalUsageError(`Valeur manquante pour ${flag}`),
  );
  if (action === 'verify') {
    return { action, db, expectHead };
  }
  if (format !== 'csv' && format !== 'json') {
    throw new JournalUsageError(format === undefined ? '--format est requis' : `Format inconnu : ${format}`);
  }
  return { action, db, format, key };
}

const KIND_LABEL: Record<ChainProblem['kind'], string> = {
  altered: 'modifiée',
  removed: 'supprimée',
  reordered: 'déplacée',
  'bad-genesis': 'origine invalide',
  truncated: 'fin coupée',
};

/**
 * The pseudonymisation key: `--pseudonymize-key-file` (first line, trimmed), else `--pseudonymize-key`, else the
 * environment's `PSC_PSEUDONYMIZE_KEY`; undefined for a plain export. An unreadable file is a usage error.
 */
function resolveKey(source: KeySource, env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (source.kind === 'file') {
    let text: string;
    try {
      text = readFileSync(source.path, 'utf8');
    } catch {
      throw new JournalUsageError(`Fichier de clé illisible : ${source.path}`);
    }
    return (text.split(/\r?\n/)[0] ?? '').trim();
  }
  if (source.kind === 'argument') {
    return source.key;
  }
  const fromEnv = env.PSC_PSEUDONYMIZE_KEY;
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}

/** French report of a verification (one line per problem). */
export function renderVerifyReport(dbPath: string, report: VerifyReport): string {
  const lines = [`Journal : ${dbPath}`, `Entrées : ${report.entries}`];
  if (report.ok) {
    lines.push(
      report.head === null
        ? 'Résultat : INTÈGRE — le journal est vide.'
        : `Résultat : INTÈGRE — chaîne d'empreintes continue de l'entrée n°1 à l'entrée n°${report.head.seq}.`,
      report.head === null ? '' : `Dernière empreinte : ${report.head.hash}`,
      report.head === null ? '' : `Tête à conserver (--expect-head) : ${String(report.head.seq)}:${report.head.hash}`,
    );
  } else {
    const count = report.problems.length;
    lines.push(
      `Résultat : ALTÉRÉ — ${count} anomalie${count > 1 ? 's' : ''}${report.truncated ? ' (liste tronquée)' : ''} :`,
    );
    for (const problem of report.problems) {
      lines.push(`  n°${String(problem.seq).padEnd(8)} ${KIND_LABEL[problem.kind].padEnd(17)} ${problem.detail}`);
    }
    lines.push(
      'Conservez ce fichier en l’état et prévenez le responsable de la sécurité : le journal a été modifié hors de l’application.',
    );
  }
  return `${lines.filter((l) => l !== '').join('\n')}\n`;
}

const ERROR_TEXT: Record<string, string> = {
  'store.not-found': 'base introuvable',
  'store.corrupt': 'fichier endommagé ou qui n’est pas une base SQLite',
  'store.locked': 'base verrouillée par un autre processus, réessayez',
  'store.too-new': 'base écrite par une version plus récente de l’application',
  'store.weak-key': 'clé de pseudonymisation trop courte (16 caractères au moins)',
};

/** Run `journal …`; resolves to the exit code. */
export function runJournal(argv: readonly string[], io: JournalIo): Promise<number> {
  let args: JournalArgs;
  try {
    args = parse(argv);
  } catch (error) {
    if (error instanceof JournalUsageError) {
      io.stderr(`${error.message}\n\n${JOURNAL_USAGE}`);
      return Promise.resolve(JOURNAL_EXIT.usage);
    }
    throw error;
  }
  const env = io.env ?? process.env;
  const dbPath = args.db ?? defaultDbPath(env);
  let key: string | undefined;
  try {
    key = args.action === 'export' ? resolveKey(args.key, env) : undefined;
  } catch (error) {
    if (error instanceof JournalUsageError) {
      io.stderr(`${error.message}\n`);
      return Promise.resolve(JOURNAL_EXIT.usage);
    }
    throw error;
  }
  if (args.action === 'export' && args.key.kind === 'argument') {
    io.stderr(
      'Attention : une clé passée en argument reste visible (ps, historique) ; préférez --pseudonymize-key-file ou PSC_PSEUDONYMIZE_KEY.\n',
    );
  }
  try {
    const reader = openJournalReader(dbPath);
    try {
      if (args.action === 'verify') {
        const report = reader.verify({ expectHead: args.expectHead });
        io.stdout(renderVerifyReport(dbPath, report));
        return Promise.resolve(report.ok ? JOURNAL_EXIT.ok : JOURNAL_EXIT.tampered);
      }
      const { text, verification: exported } = reader.export({
        format: args.format,
        generatedAt: io.now().toISOString(),
        ...(key === undefined ? {} : { pseudonymizeKey: key }),
      });
      // The export's own check walks the chain; this one also compares with the checkpoints kept outside the base.
      const verification = exported.ok ? reader.verify() : exported;
      io.stdout(text);
      io.stderr(
        verification.head === null
          ? 'Tête du journal : aucune (journal vide).\n'
          : `Tête du journal : ${String(verification.head.seq)}:${verification.head.hash} (à conserver pour « journal verify --expect-head »)\n`,
      );
      if (!verification.ok) {
        io.stderr(
          `Attention : journal ALTÉRÉ (${verification.problems.length} anomalies), lancez « journal verify ».\n`,
        );
        return Promise.resolve(JOURNAL_EXIT.tampered);
      }
      return Promise.resolve(JOURNAL_EXIT.ok);
    } finally {
      reader.close();
    }
  } catch (error) {
    if (error instanceof AppError && error.code in ERROR_TEXT) {
      const usage = error.code === 'store.weak-key';
      io.stderr(`Journal ${dbPath} : ${ERROR_TEXT[error.code] ?? error.code} (${error.code}).\n`);
      return Promise.resolve(usage ? JOURNAL_EXIT.usage : JOURNAL_EXIT.unusable);
    }
    throw error;
  }
}
