/**
 * Headless entry point of `psc-assistant` (bundled to dist/cli/main.mjs by bin/psc-assistant.mjs).
 */
import { parseArgs, USAGE, UsageError } from './args';
import { runJournal } from './journal';
import { runMappings } from './mappings';
import { renderTable } from './table';
import { runTenant } from './tenant';

/** Where the CLI writes (injected so tests and the bin share one implementation). */
export type CliIo = {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  now: () => Date;
  env?: Readonly<Record<string, string | undefined>>;
  /** Aborted on Ctrl-C: a pending sign-in is cancelled. */
  signal?: AbortSignal;
};

/** Run the CLI; resolves to the process exit code (0 ok, 1 usage, 2 some input unreadable). */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv[0] === 'journal') {
    return runJournal(argv.slice(1), io);
  }
  if (argv[0] === 'tenant') {
    return runTenant(argv.slice(1), io);
  }
  let args;
  try {
    args = parseArgs(argv, io.now());
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n\n${USAGE}`);
      return 1;
    }
    throw error;
  }
  if (args.command === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  let results;
  try {
    results = await runMappings(args);
  } catch (error) {
    // Trust or CRL inputs that cannot be read make every answer meaningless: stop with a clear message.
    io.stderr(`Impossible de lire --trust/--crl : ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  io.stdout(args.format === 'json' ? `${JSON.stringify(results, null, 2)}\n` : renderTable(results));
  return results.some((r) => !r.ok) ? 2 : 0;
}
