import { readdirSync, readFileSync } from 'node:fs';
import { join, matchesGlob, relative, sep } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { productName } from '../../../electron/app/product';

const repoRoot = join(import.meta.dirname, '..', '..', '..');

const targetsSchema = z.object({ target: z.array(z.string()) });
const configSchema = z.object({
  appId: z.string(),
  productName: z.string(),
  files: z.array(z.string()),
  extraMetadata: z.object({ main: z.string() }),
  asar: z.literal(true),
  asarUnpack: z.array(z.string()),
  npmRebuild: z.boolean(),
  win: targetsSchema,
  linux: targetsSchema.extend({ maintainer: z.string() }),
  mac: targetsSchema,
  deb: z.object({ depends: z.array(z.string()) }),
});
const packageSchema = z.object({
  productName: z.string(),
  main: z.string(),
  homepage: z.url(),
  author: z.object({ name: z.string(), email: z.email() }),
  dependencies: z.record(z.string(), z.string()),
  optionalDependencies: z.record(z.string(), z.string()).default({}),
  devDependencies: z.record(z.string(), z.string()),
});

const config = configSchema.parse(parse(readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8')));
const pkg = packageSchema.parse(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')));

/** The native addons: kept out of the bundles (scripts/build.mjs `external`), hence shipped in node_modules. */
const nativePackages = ['better-sqlite3', 'koffi', '@pokusew/pcsclite'];

/** Every `.node` binary installed under a folder, relative to the repository (electron-builder's pattern root). */
function nodeBinaries(dir: string, depth = 0): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && depth < 8) {
      return nodeBinaries(path, depth + 1);
    }
    return entry.name.endsWith('.node') ? [relative(repoRoot, path).split(sep).join('/')] : [];
  });
}

/** Whether a file of the app (e.g. `node_modules/koffi/index.js`) lands outside the asar (Node's minimatch-style glob). */
const unpacked = (path: string) => config.asarUnpack.some((pattern) => matchesGlob(path, pattern));

describe('electron-builder.yml', () => {
  it('names the app like the code and package.json do, under a reverse-DNS appId', () => {
    expect(config.appId).toMatch(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*){2,}$/);
    expect(config.productName).toBe(pkg.productName);
    expect(config.productName).toBe(productName);
    expect(config.extraMetadata.main).toBe(pkg.main);
    expect(config.files).toContain('dist/**/*');
  });

  it.each([
    ['win', ['nsis', 'msi']],
    ['linux', ['AppImage', 'deb']],
    ['mac', ['dmg']],
  ] as const)('builds the %s targets %j', (os, targets) => {
    expect([...config[os].target].sort()).toEqual([...targets].sort());
  });

  it('packs the app in asar with the native addons unpacked', () => {
    const binaries = ['node_modules/better-sqlite3', 'node_modules/@pokusew/pcsclite', 'node_modules/@koromix'].flatMap(
      (dir) => nodeBinaries(join(repoRoot, dir)),
    );

    expect(binaries.length).toBeGreaterThan(0);
    expect(binaries.filter((path) => !unpacked(path))).toEqual([]);
    for (const name of nativePackages) {
      expect(unpacked(`node_modules/${name}/package.json`)).toBe(true);
    }
    expect(unpacked('dist/electron/main.cjs')).toBe(false);
    expect(config.npmRebuild).toBe(true);
  });

  it('keeps electron-builder’s default deb dependencies next to the smart-card stack', () => {
    // `depends` replaces the defaults, so Electron's runtime libraries must be listed here.
    const names = config.deb.depends.flatMap((entry) => entry.split('|').map((name) => name.trim()));

    for (const name of [
      'libgtk-3-0',
      'libnotify4',
      'libnss3',
      'libxss1',
      'libxtst6',
      'xdg-utils',
      'libatspi2.0-0',
      'libuuid1',
      'libsecret-1-0',
      'pcscd',
      'libpcsclite1',
    ]) {
      expect(names).toContain(name);
    }
  });

  it('gives fpm the metadata a deb needs: a homepage and a maintainer with an e-mail address', () => {
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(config.linux.maintainer).toMatch(/^[^<>]+ <[^@\s]+@[^>\s]+>$/);
    expect(pkg.author.email).toContain('@');
  });

  it('ships only the native addons as production dependencies: the rest is bundled into dist/', () => {
    const production = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.optionalDependencies)].sort();

    expect(production).toEqual([...nativePackages].sort());
    expect(Object.keys(pkg.devDependencies)).toEqual(expect.arrayContaining(['react', 'zod', '@azure/msal-node']));
    const buildScript = readFileSync(join(repoRoot, 'scripts', 'build.mjs'), 'utf8');
    const external = /const external = \[([^\]]*)\]/.exec(buildScript)?.[1] ?? '';
    for (const name of nativePackages) {
      expect(external).toContain(`'${name}'`);
    }
  });
});
