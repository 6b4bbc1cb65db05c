import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classify, findingsFromSarif, parseConfig } from '../../../scripts/lib/security-findings.mjs';

const repoRoot = join(import.meta.dirname, '..', '..', '..');
const why = 'Reviewed: this finding is acceptable here for a reason written out in full.';
const config = parseConfig({
  justified: [
    { rule: 'OPEN_EXTERNAL_JS_CHECK', file: 'electron/hosts/electron/open-sign-in-page.ts', justification: why },
    { rule: 'CSP_GLOBAL_CHECK', file: '(global)', justification: why },
  ],
});

function sarif(results: { ruleId: string; uri: string; line?: number }[]) {
  return {
    runs: [
      {
        results: results.map((r) => ({
          ruleId: r.ruleId,
          level: 'warning',
          locations: [{ physicalLocation: { artifactLocation: { uri: r.uri }, region: { startLine: r.line ?? 1 } } }],
        })),
      },
    ],
  };
}

describe('scripts/lib/security-findings', () => {
  it.each([
    ['the justified rule in its file', 'OPEN_EXTERNAL_JS_CHECK', 'hosts/electron/open-sign-in-page.ts', 0],
    ['the justified rule in another file', 'OPEN_EXTERNAL_JS_CHECK', 'services/identity/index.ts', 1],
    ['an unlisted rule in a listed file', 'NODE_INTEGRATION_HTML_CHECK', 'hosts/electron/open-sign-in-page.ts', 1],
    ['the global check', 'CSP_GLOBAL_CHECK', 'file:///', 0],
  ])('%s: %i unjustified', (_label, ruleId, uri, count) => {
    const findings = findingsFromSarif(sarif([{ ruleId, uri }]), 'electron');

    expect(classify(findings, config).unjustified).toHaveLength(count);
  });

  it('reports exceptions no finding uses any more', () => {
    const findings = findingsFromSarif(sarif([{ ruleId: 'CSP_GLOBAL_CHECK', uri: 'file:///' }]), 'electron');

    expect(classify(findings, config).unused.map((entry) => entry.rule)).toEqual(['OPEN_EXTERNAL_JS_CHECK']);
  });

  it('names findings by repository-relative file', () => {
    const [finding] = findingsFromSarif(sarif([{ ruleId: 'X_CHECK', uri: 'hosts\\electron\\main.ts', line: 7 }]));

    expect(finding).toEqual({ rule: 'X_CHECK', severity: 'warning', file: 'electron/hosts/electron/main.ts', line: 7 });
  });

  it.each([
    ['a rule-only map (the old format)', { justified: { CSP_GLOBAL_CHECK: why } }],
    ['an exception without file', { justified: [{ rule: 'CSP_GLOBAL_CHECK', justification: why }] }],
    ['a one-word justification', { justified: [{ rule: 'CSP_GLOBAL_CHECK', file: '(global)', justification: 'ok' }] }],
  ])('refuses a configuration with %s', (_label, json) => {
    expect(() => parseConfig(json)).toThrow(/electronegativity.config.json invalide/);
  });

  it('accepts the repository configuration, where every exception names a file that exists', () => {
    const repoConfig = parseConfig(JSON.parse(readFileSync(join(repoRoot, 'electronegativity.config.json'), 'utf8')));

    for (const entry of repoConfig.justified.filter((e) => e.file !== '(global)')) {
      expect(() => readFileSync(join(repoRoot, entry.file)), entry.file).not.toThrow();
    }
  });
});
