// Electron security scan: @doyensec/electronegativity over electron/, failing on any finding that is not justified
// for its rule AND file in electronegativity.config.json, and on any justification no finding uses any more.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classify, findingsFromSarif, parseConfig } from './lib/security-findings.mjs';
import { repoRoot as root } from './lib/paths.mjs';

const config = parseConfig(JSON.parse(readFileSync(join(root, 'electronegativity.config.json'), 'utf8')));
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

const findings = findingsFromSarif(JSON.parse(readFileSync(sarif, 'utf8')), 'electron');
rmSync(outDir, { recursive: true, force: true });
const { justified, unjustified, unused } = classify(findings, config);
for (const finding of findings) {
  const mark = justified.includes(finding) ? 'justified' : 'FINDING';
  process.stderr.write(`${mark.padEnd(10)} ${finding.rule} ${finding.severity} ${finding.file}:${finding.line}\n`);
}
for (const entry of unused) {
  process.stderr.write(`UNUSED     ${entry.rule} ${entry.file}: no such finding any more; remove the exception\n`);
}
process.stderr.write(
  `electronegativity ${electronVersion}: ${findings.length} findings, ${unjustified.length} unjustified, ${unused.length} unused exceptions\n`,
);
process.exit(unjustified.length === 0 && unused.length === 0 ? 0 : 1);
