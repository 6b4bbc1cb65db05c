// `npm start [-- --live]`: build what is missing, then run the Electron host when its binary is present (or can be
// fetched), else the browser shell. Demo mode unless --live.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const say = (text) => process.stderr.write(`${text}\n`);

const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--if-stale'], { stdio: 'inherit' });
if (build.status !== 0) {
  say('La construction a échoué ; voir ci-dessus.');
  process.exit(build.status ?? 1);
}

/** Path of the Electron binary if installed, trying one download when the network allows. */
function electronBinary() {
  const require = createRequire(import.meta.url);
  let packageDir;
  try {
    packageDir = join(require.resolve('electron/package.json'), '..');
  } catch {
    return undefined;
  }
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile) && !args.includes('--browser')) {
    say('Binaire Electron absent : tentative de téléchargement (30 s max)…');
    spawnSync(process.execPath, [join(packageDir, 'install.js')], { stdio: 'ignore', timeout: 30_000 });
  }
  if (!existsSync(pathFile)) {
    return undefined;
  }
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

const electron = args.includes('--browser') ? undefined : electronBinary();
const hostArgs = args.filter((arg) => arg !== '--browser');
const child = electron
  ? spawn(electron, [join(root, 'dist', 'electron', 'main.cjs'), ...hostArgs], { stdio: 'inherit' })
  : spawn(process.execPath, [join(root, 'dist', 'browser', 'main.mjs'), ...hostArgs], { stdio: 'inherit' });
if (!electron) {
  say('Electron indisponible ici : ouverture de l’assistant dans le navigateur (mode « browser shell »).');
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code) => process.exit(code ?? 0));
