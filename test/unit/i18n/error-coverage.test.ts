import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogs } from '../../../shared/i18n';

const repoRoot = join(import.meta.dirname, '..', '..', '..');
/** Error domains whose codes reach the UI through `messageKey`. */
const domains = ['card', 'pcsc', 'identity', 'graph', 'mapping', 'enrollment', 'bulk', 'store', 'demo'];
const codePattern = new RegExp(`['"\`]((?:${domains.join('|')})\\.[a-z0-9-]+)['"\`]`, 'g');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      return sourceFiles(path);
    }
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

function lookup(catalog: unknown, key: string): unknown {
  return key
    .split('.')
    .reduce<unknown>(
      (node, part) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined),
      catalog,
    );
}

describe('every error code the services raise is translated', () => {
  const codes = new Set(
    ['shared', 'electron/services', 'electron/app']
      .flatMap((dir) => sourceFiles(join(repoRoot, dir)))
      .flatMap((file) => [...readFileSync(file, 'utf8').matchAll(codePattern)].map((match) => match[1]!))
      // i18n keys and log messages are not codes; catalogs themselves are skipped by the domain filter on keys.
      .filter((code) => !code.includes('..')),
  );

  it('finds the codes it checks', () => {
    expect(codes.size).toBeGreaterThan(30);
  });

  it.each(Object.entries(catalogs))('has a %s message for each code', (_language, catalog) => {
    const missing = [...codes].filter((code) => typeof lookup(catalog, `errors.${code}`) !== 'string');
    expect(missing).toEqual([]);
  });
});
