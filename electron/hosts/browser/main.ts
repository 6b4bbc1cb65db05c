import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataBaseDir, defaultDataDir } from '../../app/paths';
import { createAppRuntime } from '../../app/runtime';
import { createSwitchableRuntime } from '../../app/switchable-runtime';
import { createLogger } from '../../services/logging';
import { createModePreference, resolveMode } from '../../services/settings/mode-preference';
import { openAppWindow, openExternal } from './open-browser';
import { startBrowserShell } from './server';

/**
 * Browser-shell entry point: `node dist/browser/main.mjs [--live|--demo] [--port N] [--no-open]`. The mode is the
 * flag's, else the one saved in Paramètres on this machine (shared with the Electron host), else demo. Switching
 * mode in Paramètres rebuilds the services behind the same address and secret; the window reloads.
 *
 * Prints one JSON line `{ "event": "ready", "origin", "url"? }` on stdout for scripts and tests. `url` (a single-use
 * launch address) is there only when no window was opened for it (`--no-open`, or no browser here): the window
 * gets its own launch token, so a token never sits on stdout while still usable by someone else.
 */
async function main(argv: readonly string[]) {
  const logger = createLogger('browser-shell');
  const baseDir = dataBaseDir();
  const mode = resolveMode(argv, await createModePreference({ baseDir, logger }).load());
  const portIndex = argv.indexOf('--port');
  const port = portIndex >= 0 ? Number(argv[portIndex + 1]) : 0;
  const here = dirname(fileURLToPath(import.meta.url));
  const runtime = createSwitchableRuntime({
    initialMode: mode,
    logger,
    create: (next, onModeChange) =>
      createAppRuntime({
        mode: next,
        host: 'browser',
        dataDir: defaultDataDir(next),
        preferenceDir: baseDir,
        onModeChange,
        identity: { openExternal },
      }),
  });
  const shell = await startBrowserShell({ runtime, rendererDir: join(here, '..', 'renderer'), logger, port });
  const noOpen = argv.includes('--no-open');
  // The browser window and its throwaway profile go away with the shell (see stop).
  const appWindow = noOpen ? undefined : await openAppWindow(shell.launchUrl, logger);
  const url = appWindow === undefined ? shell.launchUrl : undefined;
  process.stdout.write(
    `${JSON.stringify({ event: 'ready', origin: shell.origin, ...(url === undefined ? {} : { url }) })}\n`,
  );
  if (!noOpen && url !== undefined) {
    process.stderr.write(`\nAssistant PSC : ouvrez cette adresse dans votre navigateur :\n  ${url}\n\n`);
  }
  const stop = () => {
    void shell
      .close()
      .then(() => appWindow?.close())
      .then(() => runtime.close())
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`Échec du démarrage : ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
