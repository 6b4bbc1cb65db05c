// pretest: make sure the Debian packages the suite needs are installed (PC/SC daemon and headers, the virtual
// reader driver, Chromium). As root it installs the missing ones with apt-get; otherwise it prints the command.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

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

const say = (text) => process.stderr.write(`${text}\n`);
if (process.platform !== 'linux' || !existsSync('/usr/bin/apt-get')) {
  say('ensure-system: not a Debian machine; make sure pcscd, vpcd and Chromium are installed.');
  process.exit(0);
}

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

// The PC/SC addon is optional: on a machine that lacked the headers at `npm install` it was skipped. Build it now.
const require = createRequire(import.meta.url);
try {
  require('@pokusew/pcsclite');
} catch {
  say('ensure-system: building the PC/SC addon (@pokusew/pcsclite)…');
  const result = spawnSync('npm', ['install', '--no-save', '--ignore-scripts=false', '@pokusew/pcsclite'], {
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    spawnSync('npm', ['rebuild', '@pokusew/pcsclite'], { stdio: 'inherit' });
  }
}
