// `npm start [-- --live] [-- --browser]`: build what is missing, then run the Electron host when its binary is present
// (or can be fetched), else the browser shell. Demo mode unless --live.
//
// Environment: ELECTRON_SKIP_BINARY_DOWNLOAD=1 skips the download attempt; PSC_ASSISTANT_BROWSER (see
// electron/hosts/browser/open-browser.ts) chooses the browser for the shell, `none` to only print the address.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { electronRuntime, prepareForElectron } from './lib/native-modules.mjs';
import { repoRoot as root } from './lib/paths.mjs';

const args = process.argv.slice(2);
const say = (text) => process.stderr.write(`${text}\n`);

const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--if-stale'], {
  stdio: 'inherit',
  cwd: root,
});
if (build.status !== 0) {
  say('La construction a échoué ; voir ci-dessus.');
  process.exit(build.status ?? 1);
}

/** The Electron binary and version if installed, trying one download when the network allows. */
function findElectron() {
  const require = createRequire(join(root, 'package.json'));
  let packageDir;
  try {
    packageDir = join(require.resolve('electron/package.json'), '..');
  } catch {
    return undefined;
  }
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile) && process.env.ELECTRON_SKIP_BINARY_DOWNLOAD !== '1') {
    say('Binaire Electron absent : tentative de téléchargement (30 s max)…');
    spawnSync(process.execPath, [join(packageDir, 'install.js')], { stdio: 'ignore', timeout: 30_000 });
  }
  if (!existsSync(pathFile)) {
    return undefined;
  }
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  return existsSync(binary) ? { binary, version } : undefined;
}

/** Native addons rebuilt for Electron's ABI (Node's builds come back when it exits); undefined if impossible. */
async function nativeForElectron(electron) {
  try {
    return await prepareForElectron({
      root,
      electron: { ...electronRuntime(electron.binary, electron.version), version: electron.version },
      say,
    });
  } catch (error) {
    say(`Modules natifs indisponibles pour Electron : ${error instanceof Error ? error.message : String(error)}.`);
    return undefined;
  }
}

const hostArgs = args.filter((arg) => arg !== '--browser');
const electron = args.includes('--browser') ? undefined : findElectron();
const native = electron === undefined ? undefined : await nativeForElectron(electron);
const useElectron = electron !== undefined && native !== undefined;
const child = useElectron
  ? spawn(electron.binary, [join(root, 'dist', 'electron', 'main.cjs'), ...hostArgs], { stdio: 'inherit', cwd: root })
  : spawn(process.execPath, [join(root, 'dist', 'browser', 'main.mjs'), ...hostArgs], { stdio: 'inherit', cwd: root });
if (!useElectron) {
  say('Electron indisponible ici : ouverture de l’assistant dans le navigateur (mode « browser shell »).');
}
let forwarded;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    forwarded = signal;
    child.kill(signal);
  });
}
child.on('exit', (code, signal) => {
  // Tests and the browser shell run on Node: put Node's native builds back.
  native?.restore();
  // A child that ends by the signal we forwarded has done what was asked: a clean stop.
  process.exit(code ?? (signal === forwarded ? 0 : 1));
});
