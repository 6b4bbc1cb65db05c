// Native addons are compiled for one ABI: Node's (tests, browser shell, CLI) or Electron's (npm start with the
// Electron binary). Both builds are kept side by side in node_modules/.cache/psc-native/<runtime>-<abi>/ and swapped
// into place: Electron's before it starts, Node's back when it exits, and `pretest` checks Node's is in place (a
// killed Electron start may have left Electron's there).
//
// koffi is not listed: it is an N-API addon shipped prebuilt, ABI-stable across Node and Electron, never rebuilt.
// `npm run dist` does not use this: electron-builder rebuilds native modules itself (npmRebuild in electron-builder.yml).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The addons the app loads, and a snippet that fails unless the addon's binary loads in the running runtime. */
export const nativeModules = [
  // better-sqlite3 loads its binary on the first Database, not on require.
  { name: 'better-sqlite3', probe: "new (require('better-sqlite3'))(':memory:').close()", isOptional: false },
  { name: '@pokusew/pcsclite', probe: "require('@pokusew/pcsclite')", isOptional: true },
];

/** Node itself, as the runtime that runs tests and the browser shell. */
export function nodeRuntime() {
  return { key: `node-${process.versions.modules}`, command: process.execPath, env: process.env };
}

/** Electron's binary run as plain Node (ELECTRON_RUN_AS_NODE), which loads addons exactly as the main process. */
export function electronRuntime(binary, version) {
  return { key: `electron-${version}`, command: binary, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } };
}

/** Modules of `modules` installed under `root`. */
export function installedModules(root, modules = nativeModules) {
  return modules.filter((module) => existsSync(join(root, 'node_modules', module.name, 'package.json')));
}

/** True when `module`'s binary loads in `runtime` (a child process, so a crash or ABI error stays contained). */
export function loadsIn(root, runtime, module) {
  const result = spawnSync(runtime.command, ['-e', module.probe], {
    cwd: root,
    env: runtime.env,
    stdio: 'ignore',
    timeout: 30_000,
  });
  return result.status === 0;
}

const releaseDir = (root, module) => join(root, 'node_modules', module.name, 'build', 'Release');
const cacheDir = (root, key, module) =>
  join(root, 'node_modules', '.cache', 'psc-native', key, module.name.replaceAll('/', '+'));

function copyBinaries(from, to) {
  if (!existsSync(from)) {
    return 0;
  }
  const binaries = readdirSync(from).filter((file) => file.endsWith('.node'));
  if (binaries.length > 0) {
    mkdirSync(to, { recursive: true });
  }
  for (const file of binaries) {
    copyFileSync(join(from, file), join(to, file));
  }
  return binaries.length;
}

/** Keep a copy of the module's current binaries as the build for `key`. */
export function saveBuild(root, module, key) {
  return copyBinaries(releaseDir(root, module), cacheDir(root, key, module)) > 0;
}

/** Put the saved build for `key` back in place; false when none was saved. */
export function restoreBuild(root, module, key) {
  return copyBinaries(cacheDir(root, key, module), releaseDir(root, module)) > 0;
}

/** Rebuild `names` for Electron `version` with @electron/rebuild (downloads Electron's headers: needs network). */
export async function electronRebuild(root, version, names) {
  const require = createRequire(join(root, 'package.json'));
  const entry = require.resolve('@electron/rebuild');
  const { rebuild } = await import(pathToFileURL(entry).href);
  await rebuild({ buildPath: root, electronVersion: version, onlyModules: names, force: true });
}

/**
 * Make every installed addon load in Electron; returns `restore()`, which puts Node's builds back.
 * Throws when an addon cannot be made to load (the caller then falls back to the browser shell).
 */
export async function prepareForElectron({
  root,
  electron,
  node = nodeRuntime(),
  modules = nativeModules,
  rebuild = (names) => electronRebuild(root, electron.version, names),
  say = () => {},
}) {
  const swapped = [];
  const restore = () => {
    for (const module of swapped) {
      restoreBuild(root, module, node.key);
    }
  };
  const toRebuild = [];
  for (const module of installedModules(root, modules)) {
    if (loadsIn(root, electron, module)) {
      continue;
    }
    if (loadsIn(root, node, module)) {
      saveBuild(root, module, node.key);
    }
    swapped.push(module);
    if (!(restoreBuild(root, module, electron.key) && loadsIn(root, electron, module))) {
      toRebuild.push(module);
    }
  }
  if (toRebuild.length > 0) {
    say(`Modules natifs reconstruits pour Electron ${electron.version} : ${toRebuild.map((m) => m.name).join(', ')}…`);
    try {
      await rebuild(toRebuild.map((module) => module.name));
    } catch (error) {
      restore();
      throw new Error(
        `reconstruction pour Electron impossible (${error instanceof Error ? error.message : String(error)})`,
        { cause: error },
      );
    }
    for (const module of toRebuild) {
      if (!loadsIn(root, electron, module)) {
        restore();
        throw new Error(`${module.name} ne se charge toujours pas dans Electron`);
      }
      saveBuild(root, module, electron.key);
    }
  }
  return { restore };
}

/**
 * Make every installed addon load in Node again (pretest): Node's saved build if there is one, else `npm rebuild`.
 * Returns the names that still fail.
 */
export function ensureNodeBuilds({
  root,
  node = nodeRuntime(),
  modules = nativeModules,
  rebuild = (name) =>
    spawnSync('npm', ['rebuild', name], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' }).status ===
    0,
  say = () => {},
}) {
  const failing = [];
  for (const module of installedModules(root, modules)) {
    if (loadsIn(root, node, module)) {
      continue;
    }
    if (restoreBuild(root, module, node.key) && loadsIn(root, node, module)) {
      say(`ensure-system: ${module.name} remis à la version compilée pour Node.`);
      continue;
    }
    say(`ensure-system: ${module.name} ne se charge pas dans Node ; reconstruction (npm rebuild ${module.name})…`);
    if (rebuild(module.name) && loadsIn(root, node, module)) {
      saveBuild(root, module, node.key);
      continue;
    }
    failing.push(module.name);
  }
  return failing;
}
