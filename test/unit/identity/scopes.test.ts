import { describe, expect, it } from 'vitest';
import { auditScopes, fixScopes, qualifyScopes } from '../../../electron/services/identity/scopes';

describe('identity scopes', () => {
  it.each([
    [['User.Read.All'], ['https://graph.microsoft.com/User.Read.All']],
    [
      ['openid', 'offline_access'],
      ['openid', 'offline_access'],
    ],
    [['https://graph.microsoft.com/.default'], ['https://graph.microsoft.com/.default']],
  ])('qualifies %j', (input, expected) => {
    expect(qualifyScopes(input)).toEqual(expected);
  });

  it('keeps audits read-only: no audit scope grants writes', () => {
    expect(auditScopes.filter((s) => s.includes('Write'))).toEqual([]);
    expect(fixScopes.every((s) => s.includes('ReadWrite'))).toBe(true);
  });
});
