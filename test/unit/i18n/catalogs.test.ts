import { describe, expect, it } from 'vitest';
import { catalogs } from '../../../shared/i18n';

function leafKeys(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') {
    return [prefix];
  }
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) =>
    leafKeys(child, prefix === '' ? key : `${prefix}.${key}`),
  );
}

describe('shared/i18n catalogs', () => {
  it('gives English exactly the French keys', () => {
    expect(leafKeys(catalogs.en).sort()).toEqual(leafKeys(catalogs.fr).sort());
  });

  it.each(Object.entries(catalogs))('has no empty message in %s', (_language, catalog) => {
    const empty = leafKeys(catalog).filter((key) => {
      const text = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], catalog);
      return typeof text !== 'string' || text.trim() === '';
    });
    expect(empty).toEqual([]);
  });

  it('translates every error code the contract layer produces', () => {
    const keys = new Set(leafKeys(catalogs.fr));
    for (const key of [
      'errors.internal',
      'errors.contract.unknown-channel',
      'errors.contract.invalid-input',
      'errors.contract.disconnected',
    ]) {
      expect(keys).toContain(key);
    }
  });
});
