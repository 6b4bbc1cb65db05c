// `npm run bench`: run every test/bench/*.bench.ts `run()` and print ONE JSON object on stdout, keyed by benchmark id:
// { "<id>": { value, unit, target, pass } }. A human-readable table goes to stderr.
// Usage: npm run bench [-- <filter>]   (filter: substring of the bench file name)
import { build } from 'esbuild';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { repoRoot as root } from './lib/paths.mjs';

const filter = process.argv[2] ?? '';
const benchDir = join(root, 'test', 'bench');
const files = readdirSync(benchDir)
  .filter((name) => name.endsWith('.bench.ts') && name.includes(filter))
  .sort();

// Benchmarks of a stale or half-built dist/ would measure the wrong thing: a failed build fails the run.
const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--if-stale'], {
  stdio: ['ignore', 2, 2],
});
if (built.status !== 0) {
  process.stderr.write(
    `bench: the build failed (${built.error?.message ?? `exit ${built.status ?? built.signal}`}); nothing measured.\n`,
  );
  process.exit(1);
}

const outDir = mkdtempSync(join(root, 'node_modules', '.bench-'));
const results = {};
let failed = false;
for (const file of files) {
  const outfile = join(outDir, file.replace(/\.ts$/, '.mjs'));
  await build({
    entryPoints: [join(benchDir, file)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
    define: { 'import.meta.dirname': JSON.stringify(benchDir) },
  });
  process.stderr.write(`▶ ${file}\n`);
  // One process per bench file: memory figures (peak RSS) must not include what another bench left behind.
  const child = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      // Exit once the result is flushed: native handles (the PC/SC addon's status thread) may otherwise keep it alive.
      `const m = await import(${JSON.stringify(pathToFileURL(outfile).href)}); const r = await m.run(); process.stdout.write(JSON.stringify(r), () => process.exit(0));`,
    ],
    {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 16 * 1024 * 1024,
      timeout: 15 * 60_000,
    },
  );
  try {
    if (child.status !== 0) {
      throw new Error(`exited with ${child.status}`);
    }
    Object.assign(results, JSON.parse(child.stdout));
  } catch (error) {
    failed = true;
    process.stderr.write(`  ✘ ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}
rmSync(outDir, { recursive: true, force: true });

process.stderr.write(
  '\nbenchmark'.padEnd(32) + 'value'.padStart(12) + '  unit'.padEnd(8) + 'target'.padStart(10) + '  pass\n',
);
for (const [id, r] of Object.entries(results)) {
  process.stderr.write(
    `${id.padEnd(31)}${String(Math.round(r.value * 100) / 100).padStart(12)}  ${r.unit.padEnd(6)}${String(r.target).padStart(10)}  ${r.pass ? '✔' : '✘'}\n`,
  );
}
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
process.exit(failed ? 1 : 0);
