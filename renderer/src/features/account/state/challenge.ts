import type { ChannelName } from '../../../../../shared/contract/channels';
import { ContractFailure } from '../../../../../shared/contract/client';
import type { ContractClient } from '../../../../../shared/contract/client';
import type { ContractError } from '../../../../../shared/contract/envelope';

/** What a failed action needs from the user before it can be retried. */
export type AuthChallenge =
  | { readonly kind: 'consent'; readonly scopes: readonly string[] }
  | { readonly kind: 'claims'; readonly scopes: readonly string[]; readonly claims: string };

const scopeName = /^[A-Za-z][A-Za-z0-9._-]{0,119}$/;

const scopesOf = (details: ContractError['details']): string[] => {
  const raw = details?.scopes;
  return Array.isArray(raw) ? raw.filter((s): s is string => typeof s === 'string' && scopeName.test(s)) : [];
};

/**
 * The challenge an error carries, if any.
 *
 * `identity.consent-required` names the scopes not yet granted (incremental consent); `graph.claims-required` and
 * `identity.interaction-required` with claims come from a conditional-access challenge silent refresh could not meet.
 */
export function challengeFromError(error: ContractError): AuthChallenge | null {
  const claims = error.details?.claims;
  if (
    (error.code === 'graph.claims-required' || error.code === 'identity.interaction-required') &&
    typeof claims === 'string' &&
    claims.length >= 2
  ) {
    const scopes = scopesOf(error.details);
    // The sign-in needs at least one scope; the host adds the read scopes anyway.
    return { kind: 'claims', scopes: scopes.length > 0 ? scopes : ['openid'], claims };
  }
  if (error.code === 'identity.consent-required') {
    const scopes = scopesOf(error.details);
    return scopes.length > 0 ? { kind: 'consent', scopes } : null;
  }
  return null;
}

/** Channels whose failures are the user's own sign-in steps, never turned into a prompt. */
const ownChannels: ReadonlySet<ChannelName> = new Set([
  'account:sign-in',
  'account:request-scopes',
  'account:cancel-sign-in',
]);

/**
 * Wraps the typed client so that any channel failing with a challenge reports it (the global prompt shows it);
 * the failure still reaches the caller unchanged.
 */
export function observeChallenges(client: ContractClient, onChallenge: (c: AuthChallenge) => void): ContractClient {
  return {
    async invoke(channel, ...input) {
      try {
        return await client.invoke(channel, ...input);
      } catch (failure) {
        if (failure instanceof ContractFailure && !ownChannels.has(channel)) {
          const challenge = challengeFromError(failure.error);
          if (challenge !== null) {
            onChallenge(challenge);
          }
        }
        throw failure;
      }
    },
    on: (event, listener) => client.on(event, listener),
  };
}
