import { describe, expect, it } from 'vitest';
import { contractErrorCodes, errorResult } from '../../../shared/contract/envelope';
import { catalogs } from '../../../shared/i18n';

function lookup(catalog: unknown, key: string): unknown {
  return key
    .split('.')
    .reduce<unknown>(
      (node, part) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined),
      catalog,
    );
}

describe('shared/contract/envelope', () => {
  it.each(Object.entries(catalogs))('translates every contract-layer error code in %s', (_language, catalog) => {
    const missing = Object.values(contractErrorCodes).filter(
      (code) => typeof lookup(catalog, `errors.${code}`) !== 'string',
    );

    expect(missing).toEqual([]);
  });

  it('builds an error reply without details when none are given', () => {
    expect(errorResult('contract.untrusted-sender', 'errors.contract.untrusted-sender')).toEqual({
      ok: false,
      error: { code: 'contract.untrusted-sender', messageKey: 'errors.contract.untrusted-sender' },
    });
  });
});
