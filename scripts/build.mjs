// Build every runnable piece: the renderer (Vite) and the Node/Electron entry points (esbuild).
// Usage: node scripts/build.mjs [--if-stale]   (--if-stale: skip when dist/ is newer than every source file)
import { build as viteBuild } from 'vite';
import { build as esbuild } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageDirOf, writeThirdPartyLicenses } from './lib/licenses.mjs';
import { isMainModule, repoRoot as root } from './lib/paths.mjs';
import { isStale, writeStamp } from './lib/staleness.mjs';

const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** Native and Electron modules stay outside the bundles; they are loaded at run time. */
const external = ['electron', '@pokusew/pcsclite', 'better-sqlite3', 'koffi'];

const nodeTargets = [
  { entry: 'electron/hosts/electron/main.ts', outfile: 'dist/electron/main.cjs', format: 'cjs', platform: 'node' },
  {
    entry: 'electron/hosts/electron/preload.ts',
    outfile: 'dist/electron/preload.cjs',
    format: 'cjs',
    platform: 'node',
  },
  { entry: 'electron/hosts/browser/main.ts', outfile: 'dist/browser/main.mjs', format: 'esm', platform: 'node' },
];

export async function buildAll({ quiet = false } = {}) {
  // The packages compiled into the bundles: their notices ship even though they are devDependencies.
  const bundled = new Set();
  const noteBundled = (file) => {
    const dir = packageDirOf(file);
    if (dir !== undefined) {
      bundled.add(dir);
    }
  };
  const rendererOutput = await viteBuild({
    root: join(root, 'renderer'),
    configFile: join(root, 'vite.config.ts'),
    logLevel: quiet ? 'error' : 'warn',
  });
  for (const output of [rendererOutput].flat()) {
    for (const chunk of 'output' in output ? output.output : []) {
      for (const id of chunk.type === 'chunk' ? chunk.moduleIds : []) {
        noteBundled(id);
      }
    }
  }
  const nodeResults = await Promise.all(
    nodeTargets.map((target) =>
      esbuild({
        entryPoints: [join(root, target.entry)],
        outfile: join(root, target.outfile),
        bundle: true,
        platform: target.platform,
        format: target.format,
        target: 'node20',
        sourcemap: 'linked',
        external,
        define: { 'process.env.PSC_ASSISTANT_VERSION': JSON.stringify(version) },
        // ESM bundles of CommonJS dependencies need a real `require`.
        banner:
          target.format === 'esm'
            ? {
                js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
              }
            : undefined,
        logLevel: quiet ? 'error' : 'warning',
        metafile: true,
      }),
    ),
  );
  for (const result of nodeResults) {
    Object.keys(result.metafile.inputs).forEach(noteBundled);
  }
  // Shipped with the app (conventions: privacy and notices).
  writeThirdPartyLicenses(root, join(root, 'dist', 'THIRD_PARTY_LICENSES.txt'), bundled);
  writeStamp(root);
}

if (isMainModule(import.meta.url)) {
  if (process.argv.includes('--if-stale') && !isStale(root)) {
    process.exit(0);
  }
  await buildAll();
}
