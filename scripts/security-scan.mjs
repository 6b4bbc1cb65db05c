// Electron security scan: @doyensec/electronegativity over electron/, failing on any finding that is not justified
// in electronegativity.config.json.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot as root } from './lib/paths.mjs';

const config = JSON.parse(readFileSync(join(root, 'electronegativity.config.json'), 'utf8'));
const electronVersion = JSON.parse(
  readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8'),
).version;
const outDir = mkdtempSync(join(tmpdir(), 'electronegativity-'));
// SARIF (JSON), not CSV: the CSV writer does not quote reliably, and a finding must never be misread.
const sarif = join(outDir, 'findings.sarif');

const run = spawnSync(
  'npx',
  ['electronegativity', '-i', join(root, 'electron'), '-r', '-v', 'false', '-e', electronVersion, '-o', sarif],
  { encoding: 'utf8', cwd: root, shell: process.platform === 'win32' },
);
if (run.status !== 0) {
  process.stderr.write(run.stdout + run.stderr);
  process.exit(run.status ?? 1);
}

const results = JSON.parse(readFileSync(sarif, 'utf8')).runs.flatMap((run) => run.results ?? []);
rmSync(outDir, { recursive: true, force: true });
const findings = results.map((result) => {
  const location = result.locations?.[0]?.physicalLocation;
  return {
    issue: result.ruleId,
    severity: result.level ?? '',
    file: location?.artifactLocation?.uri ?? 'N/A',
    location: String(location?.region?.startLine ?? 0),
  };
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
