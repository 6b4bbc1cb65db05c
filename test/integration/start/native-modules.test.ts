import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureNodeBuilds, loadsIn, prepareForElectron } from '../../../scripts/lib/native-modules.mjs';
import type { NativeModule, Runtime } from '../../../scripts/lib/native-modules.mjs';

/**
 * A throwaway node_modules with one "addon" whose binary only loads in the runtime it was built for: the package
 * reads build/Release/fake.node and throws unless it names the runtime's ABI (FAKE_ABI), like a real ABI mismatch.
 */
const addon: NativeModule = {
  name: '@fake/addon',
  probe: "require('@fake/addon')",
  isOptional: false,
};
const node: Runtime = { key: 'node-115', command: process.execPath, env: { ...process.env, FAKE_ABI: 'node-115' } };
const electron = { key: 'electron-41.0.0', command: process.execPath, env: { FAKE_ABI: 'electron-41.0.0' } };

let root: string;
const binary = () => join(root, 'node_modules', '@fake', 'addon', 'build', 'Release', 'fake.node');

async function build(abi: string) {
  await writeFile(binary(), abi);
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'psc-native-'));
  const dir = join(root, 'node_modules', '@fake', 'addon');
  await mkdir(join(dir, 'build', 'Release'), { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: '@fake/addon', main: 'index.js' }));
  await writeFile(
    join(dir, 'index.js'),
    "const abi = require('fs').readFileSync(require('path').join(__dirname, 'build/Release/fake.node'), 'utf8');\n" +
      "if (abi !== process.env.FAKE_ABI) { throw new Error('was compiled against a different Node.js version'); }\n",
  );
  await build('node-115');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('scripts/lib/native-modules', () => {
  it('probes the binary in a child process of the chosen runtime', () => {
    expect(loadsIn(root, node, addon)).toBe(true);
    expect(loadsIn(root, electron, addon)).toBe(false);
  });

  it('rebuilds for Electron once, then swaps Node’s build back on restore', async () => {
    const rebuilt: string[][] = [];
    const rebuild = async (names: string[]) => {
      rebuilt.push(names);
      await build('electron-41.0.0');
    };

    const first = await prepareForElectron({
      root,
      electron: { ...electron, version: '41.0.0' },
      node,
      modules: [addon],
      rebuild,
    });
    expect(loadsIn(root, electron, addon)).toBe(true);
    first.restore();
    expect(loadsIn(root, node, addon)).toBe(true);

    // Second start: Electron's build comes from the cache, no rebuild.
    const second = await prepareForElectron({
      root,
      electron: { ...electron, version: '41.0.0' },
      node,
      modules: [addon],
      rebuild,
    });
    expect(await readFile(binary(), 'utf8')).toBe('electron-41.0.0');
    second.restore();

    expect(rebuilt).toEqual([['@fake/addon']]);
    expect(await readFile(binary(), 'utf8')).toBe('node-115');
  });

  it('puts Node’s build back and fails when the rebuild does not produce a loadable addon', async () => {
    const rebuild = async () => {
      await build('garbage');
    };

    await expect(
      prepareForElectron({ root, electron: { ...electron, version: '41.0.0' }, node, modules: [addon], rebuild }),
    ).rejects.toThrow(/ne se charge toujours pas dans Electron/);
    expect(loadsIn(root, node, addon)).toBe(true);
  });

  it('pretest: restores Node’s saved build after an Electron start that never restored it', async () => {
    await prepareForElectron({
      root,
      electron: { ...electron, version: '41.0.0' },
      node,
      modules: [addon],
      rebuild: () => build('electron-41.0.0'),
    });
    // Killed before restore(): Electron's build is still in place.
    expect(loadsIn(root, node, addon)).toBe(false);

    const failing = ensureNodeBuilds({ root, node, modules: [addon], rebuild: () => false });

    expect(failing).toEqual([]);
    expect(loadsIn(root, node, addon)).toBe(true);
  });

  it('pretest: rebuilds for Node when no Node build was saved, and reports what still fails', async () => {
    await build('electron-41.0.0');
    const rebuilt: string[] = [];

    const stillFailing = ensureNodeBuilds({
      root,
      node,
      modules: [addon],
      rebuild: (name) => {
        rebuilt.push(name);
        return true;
      },
    });
    expect(stillFailing).toEqual(['@fake/addon']);

    await writeFile(binary(), 'node-115');
    expect(ensureNodeBuilds({ root, node, modules: [addon], rebuild: () => false })).toEqual([]);
    expect(rebuilt).toEqual(['@fake/addon']);
  });

  it('checks the real addons of this checkout load in Node', () => {
    const repoRoot = join(import.meta.dirname, '..', '..', '..');

    expect(ensureNodeBuilds({ root: repoRoot, rebuild: () => false })).toEqual([]);
  });
});
