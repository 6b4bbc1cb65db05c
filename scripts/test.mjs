// `npm test`: every gate, in order, stopping at the first failure. Timings go to stderr.
import { spawnSync } from 'node:child_process';
import { repoRoot } from './lib/paths.mjs';

const steps = [
  ['type check', 'npx', ['tsc', '-b']],
  ['lint', 'npx', ['eslint', '--max-warnings', '0', '.']],
  ['format', 'npx', ['prettier', '--check', '.']],
  ['unit tests', 'npx', ['vitest', 'run', '--project', 'unit']],
  ['build', 'node', ['scripts/build.mjs']],
  ['electron security scan', 'node', ['scripts/security-scan.mjs']],
  ['integration tests', 'npx', ['vitest', 'run', '--project', 'integration']],
  ['end-to-end tests', 'npx', ['vitest', 'run', '--project', 'e2e']],
  ['chaos test', 'npm', ['run', 'test:chaos', '--', '--runs', '200']],
];

const results = [];
for (const [name, command, args] of steps) {
  process.stderr.write(`\n▶ ${name}\n`);
  const started = Date.now();
  const { status } = spawnSync(command, args, {
    stdio: 'inherit',
    cwd: repoRoot,
    // npx and npm are .cmd scripts on Windows, which only a shell runs.
    shell: process.platform === 'win32',
  });
  results.push({ name, seconds: ((Date.now() - started) / 1000).toFixed(1), ok: status === 0 });
  if (status !== 0) {
    break;
  }
}
process.stderr.write('\n');
for (const r of results) {
  process.stderr.write(`${r.ok ? '✔' : '✘'} ${r.name.padEnd(24)} ${r.seconds}s\n`);
}
process.exit(results.every((r) => r.ok) && results.length === steps.length ? 0 : 1);
