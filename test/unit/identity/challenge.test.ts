import { describe, expect, it } from 'vitest';
import { ContractFailure } from '../../../shared/contract/client';
import type { ContractClient } from '../../../shared/contract/client';
import type { ContractError } from '../../../shared/contract/envelope';
import { challengeFromError, observeChallenges } from '../../../renderer/src/features/account/state/challenge';
import type { AuthChallenge } from '../../../renderer/src/features/account/state/challenge';

const claims = '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}';
const err = (code: string, details?: Record<string, unknown>): ContractError => ({
  code,
  messageKey: `errors.${code}`,
  ...(details === undefined ? {} : { details }),
});

describe('challengeFromError', () => {
  it.each([
    {
      name: 'consent-required names only the scopes it carries',
      error: err('identity.consent-required', { scopes: ['User.ReadWrite.All'] }),
      expected: { kind: 'consent', scopes: ['User.ReadWrite.All'] },
    },
    {
      name: 'consent-required without scopes gives no prompt',
      error: err('identity.consent-required', {}),
      expected: null,
    },
    {
      name: 'malformed scope names are dropped',
      error: err('identity.consent-required', { scopes: ['User.ReadWrite.All', 'bad scope', 3] }),
      expected: { kind: 'consent', scopes: ['User.ReadWrite.All'] },
    },
    {
      name: 'graph.claims-required carries claims and scopes',
      error: err('graph.claims-required', { claims, scopes: ['User.Read.All'] }),
      expected: { kind: 'claims', claims, scopes: ['User.Read.All'] },
    },
    {
      name: 'interaction-required with claims and no scopes still signs in (openid)',
      error: err('identity.interaction-required', { claims }),
      expected: { kind: 'claims', claims, scopes: ['openid'] },
    },
    {
      name: 'claims-required without claims cannot be answered here',
      error: err('graph.claims-required', { scopes: ['User.Read.All'] }),
      expected: null,
    },
    { name: 'other codes give no prompt', error: err('graph.forbidden', { missingScope: 'X' }), expected: null },
  ])('$name', ({ error, expected }) => {
    expect(challengeFromError(error)).toEqual(expected);
  });
});

describe('observeChallenges', () => {
  const failing = (error: ContractError): ContractClient => ({
    invoke: () => Promise.reject(new ContractFailure(error)),
    on: () => () => undefined,
  });

  it('reports the challenge of a failed channel and still rejects with the same failure', async () => {
    const seen: AuthChallenge[] = [];
    const client = observeChallenges(
      failing(err('identity.consent-required', { scopes: ['User.ReadWrite.All'] })),
      (c) => seen.push(c),
    );
    const failure: unknown = await client.invoke('tenant:get-overview').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ContractFailure);
    expect((failure as ContractFailure).error.code).toBe('identity.consent-required');
    expect(seen).toEqual([{ kind: 'consent', scopes: ['User.ReadWrite.All'] }]);
  });

  it('never prompts for the sign-in channels themselves', async () => {
    const seen: AuthChallenge[] = [];
    const client = observeChallenges(failing(err('graph.claims-required', { claims })), (c) => seen.push(c));
    await expect(client.invoke('account:request-scopes', { scopes: ['openid'], claims })).rejects.toBeInstanceOf(
      ContractFailure,
    );
    expect(seen).toEqual([]);
  });
});
