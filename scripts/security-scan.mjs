// Electron security scan: @doyensec/electronegativity over electron/, failing on any finding that is not justified
// in electronegativity.config.json.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const config = JSON.parse(readFileSync(join(root, 'electronegativity.config.json'), 'utf8'));
const electronVersion = JSON.parse(
  readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8'),
).version;
const outDir = mkdtempSync(join(tmpdir(), 'electronegativity-'));
const csv = join(outDir, 'findings.csv');

const run = spawnSync(
  'npx',
  ['electronegativity', '-i', join(root, 'electron'), '-r', '-v', 'false', '-e', electronVersion, '-o', csv],
  { encoding: 'utf8', cwd: root },
);
if (run.status !== 0) {
  process.stderr.write(run.stdout + run.stderr);
  process.exit(run.status ?? 1);
}

const lines = readFileSync(csv, 'utf8').trim().split('\n').slice(1).filter(Boolean);
rmSync(outDir, { recursive: true, force: true });
const findings = lines.map((line) => {
  const [issue, severity, , file, location] = line.split(',');
  return { issue, severity: severity?.replaceAll('"', ''), file, location: location?.replaceAll('"', '') };
});
const unjustified = findings.filter((finding) => !(finding.issue in config.justified));
for (const finding of findings) {
  const mark = finding.issue in config.justified ? 'justified' : 'FINDING';
  process.stderr.write(`${mark.padEnd(10)} ${finding.issue} ${finding.severity} ${finding.file}:${finding.location}\n`);
}
process.stderr.write(
  `electronegativity ${electronVersion}: ${findings.length} findings, ${unjustified.length} unjustified\n`,
);
process.exit(unjustified.length === 0 ? 0 : 1);
