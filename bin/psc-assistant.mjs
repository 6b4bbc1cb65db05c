#!/usr/bin/env node
// psc-assistant: headless commands (see electron/cli). Bundles electron/cli/main.ts with esbuild into
// dist/cli/main.mjs when the bundle is missing or older than its sources, then runs it.
import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'electron/cli/main.ts');
const outfile = join(root, 'dist/cli/main.mjs');
// Everything the CLI imports: `tenant` reuses the app's identity wiring and the demo cloud's emulators.
const SOURCE_DIRS = ['electron/cli', 'electron/services', 'electron/app', 'emulators', 'shared'];
const MAX_FILES = 5000;

async function newestSourceMtime() {
  let newest = 0;
  let seen = 0;
  const stack = SOURCE_DIRS.map((d) => join(root, d));
  while (stack.length > 0 && seen < MAX_FILES) {
    const dir = stack.pop();
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      seen += 1;
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        stack.push(path);
      } else if (/\.(ts|json)$/.test(e.name)) {
        newest = Math.max(newest, (await stat(path)).mtimeMs);
      }
    }
  }
  return newest;
}

async function isStale() {
  try {
    const built = (await stat(outfile)).mtimeMs;
    return built < (await newestSourceMtime());
  } catch {
    return true;
  }
}

async function bundle() {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    process.stderr.write('psc-assistant : esbuild est introuvable, lancez « npm install » puis réessayez.\n');
    process.exit(1);
  }
  const result = await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    write: false,
    logLevel: 'silent',
  });
  await mkdir(dirname(outfile), { recursive: true });
  // Write then rename: two concurrent first runs must never import a half-written bundle.
  const tmp = `${outfile}.${process.pid}.tmp`;
  await writeFile(tmp, result.outputFiles[0].contents);
  await rename(tmp, outfile);
}

if (await isStale()) {
  await bundle();
}
const { run } = await import(pathToFileURL(outfile).href);
// First Ctrl-C: cancel cleanly (a pending sign-in stops polling, emulators close); a second one quits at once.
const interrupt = new globalThis.AbortController();
process.on('SIGINT', () => {
  if (interrupt.signal.aborted) {
    process.exit(130);
  }
  interrupt.abort();
});
process.exitCode = await run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  now: () => new Date(),
  env: process.env,
  signal: interrupt.signal,
});
