// `npm run test:chaos -- --runs N [--seed S]`: bundles the chaos parent and agent worker with esbuild, then runs
// the parent (Graph emulator + two agent processes, seeded faults and kill -9). Exit code is the parent's.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
// Inside the repository so the bundles resolve native better-sqlite3 and other packages from node_modules.
const out = join(root, 'node_modules', '.cache', 'psc-chaos');
mkdirSync(out, { recursive: true });
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'error',
};
await build({ ...common, entryPoints: [join(root, 'test/chaos/worker.ts')], outfile: join(out, 'worker.mjs') });
await build({ ...common, entryPoints: [join(root, 'test/chaos/parent.ts')], outfile: join(out, 'parent.mjs') });

const passThrough = process.argv.slice(2);
const { status } = spawnSync(
  process.execPath,
  [
    join(out, 'parent.mjs'),
    ...passThrough,
    '--worker',
    join(out, 'worker.mjs'),
    '--work',
    join(out, `runs-${process.pid}`),
  ],
  { stdio: 'inherit' },
);
process.exit(status ?? 1);
