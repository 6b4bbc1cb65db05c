// pretest: make sure what the suite needs outside node_modules is there.
// 1. The shared test data next to the repository (public CPx certificates, Graph schema): stop with the exact fix.
// 2. Debian packages (PC/SC daemon and headers, the virtual reader driver, Chromium): as root, install the missing
//    ones with apt-get; otherwise stop with the command to run.
// 3. Native addons built for Node (a previous `npm start` with Electron may have left Electron's builds in place).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ensureNodeBuilds, nativeModules } from './lib/native-modules.mjs';
import { repoRoot } from './lib/paths.mjs';

const say = (text) => process.stderr.write(`${text}\n`);

/** Shared folders the tests read (never copied into the repository); each can be moved with an environment variable. */
const sharedData = [
  {
    what: 'certificats publics IGC-Santé et cartes de test',
    path: process.env.CPX_CERTS_DIR || join(repoRoot, '..', 'shared', 'certs', 'cpx'),
    variable: 'CPX_CERTS_DIR',
    marker: 'test-end-entity',
  },
  {
    what: 'schéma Microsoft Graph',
    path: process.env.PSC_GRAPH_SCHEMA_DIR || join(repoRoot, '..', 'shared', 'graph'),
    variable: 'PSC_GRAPH_SCHEMA_DIR',
    marker: undefined,
  },
];

const missingData = sharedData.filter(
  (entry) => !existsSync(entry.path) || (entry.marker !== undefined && !existsSync(join(entry.path, entry.marker))),
);
if (missingData.length > 0) {
  for (const entry of missingData) {
    say(
      `Données de test absentes (${entry.what}) : ${entry.path}${entry.marker === undefined ? '' : ` (avec ${entry.marker}/)`}\n` +
        `  Placez-les à cet endroit, ou indiquez leur dossier : ${entry.variable}=/chemin/vers/le/dossier npm test`,
    );
  }
  process.exit(1);
}

const required = [
  { pkg: 'pcscd', present: () => existsSync('/usr/sbin/pcscd') },
  { pkg: 'libpcsclite-dev', present: () => existsSync('/usr/include/PCSC/winscard.h') },
  { pkg: 'vsmartcard-vpcd', present: () => dpkgHas('vsmartcard-vpcd') },
  { pkg: 'chromium', present: () => existsSync('/usr/bin/chromium') },
];

function dpkgHas(name) {
  return spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' }).stdout?.includes(
    'install ok installed',
  );
}

if (process.platform !== 'linux' || !existsSync('/usr/bin/apt-get')) {
  say('ensure-system: not a Debian machine; make sure pcscd, vpcd and Chromium are installed.');
} else {
  const missing = required.filter((entry) => !entry.present()).map((entry) => entry.pkg);
  if (missing.length > 0) {
    const command = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
    if (process.getuid?.() !== 0) {
      say(
        `Paquets système manquants : ${missing.join(', ')}.\nInstallez-les puis relancez npm test :\n  sudo apt-get update && sudo ${command}`,
      );
      process.exit(1);
    }
    say(`ensure-system: installing ${missing.join(', ')}…`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('sh', ['-c', `${command} -qq`], { stdio: 'inherit', env });
  }
}

// The PC/SC addon is optional: on a machine that lacked the headers at `npm install` it was skipped. Build it now.
const require = createRequire(join(repoRoot, 'package.json'));
try {
  require.resolve('@pokusew/pcsclite');
} catch {
  say('ensure-system: building the PC/SC addon (@pokusew/pcsclite)…');
  spawnSync('npm', ['install', '--no-save', '--ignore-scripts=false', '@pokusew/pcsclite'], {
    stdio: 'inherit',
    cwd: repoRoot,
    shell: process.platform === 'win32',
  });
}

// Every installed addon must load in Node (Electron's build may be in place after `npm start`).
const unusable = ensureNodeBuilds({ root: repoRoot, say });
const optional = new Set(nativeModules.filter((module) => module.isOptional).map((module) => module.name));
for (const name of unusable.filter((name) => optional.has(name))) {
  say(`ensure-system: ${name} (optional) does not load in Node; the tests that need it will fail.`);
}
const failing = unusable.filter((name) => !optional.has(name));
if (failing.length > 0) {
  say(
    `Modules natifs inutilisables dans Node : ${failing.join(', ')}.\n` +
      `  Reconstruisez-les puis relancez npm test :\n  npm rebuild ${failing.join(' ')}`,
  );
  process.exit(1);
}
