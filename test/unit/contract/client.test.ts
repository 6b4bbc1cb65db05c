import { describe, expect, it, vi } from 'vitest';
import { ContractFailure, createClient } from '../../../shared/contract/client';
import type { Bridge } from '../../../shared/contract/client';

function bridgeReplying(reply: unknown): Bridge & { emit(event: string, payload: unknown): void } {
  const listeners = new Map<string, (payload: unknown) => void>();
  return {
    invoke: vi.fn(() => Promise.resolve(reply)),
    on: (event, listener) => {
      listeners.set(event, listener);
      return () => listeners.delete(event);
    },
    emit: (event, payload) => listeners.get(event)?.(payload),
  };
}

describe('shared/contract/client', () => {
  it('returns the value of a successful reply', async () => {
    const client = createClient(bridgeReplying({ ok: true, value: { language: 'en', theme: 'dark' } }));

    await expect(client.invoke('settings:get')).resolves.toEqual({ language: 'en', theme: 'dark' });
  });

  it('throws a ContractFailure carrying the error envelope', async () => {
    const error = { code: 'card.removed', messageKey: 'errors.card.removed' };
    const client = createClient(bridgeReplying({ ok: false, error }));

    await expect(client.invoke('settings:get')).rejects.toEqual(new ContractFailure(error));
  });

  it.each([
    ['a value off the output schema', { ok: true, value: { language: 'xx' } }],
    ['a reply without envelope', { language: 'fr', theme: 'dark' }],
    ['nothing', undefined],
  ])('treats %s as an invalid output', async (_label, reply) => {
    const client = createClient(bridgeReplying(reply));

    await expect(client.invoke('settings:get')).rejects.toMatchObject({ error: { code: 'contract.invalid-output' } });
  });

  it('delivers valid event payloads and drops invalid ones', () => {
    const bridge = bridgeReplying(undefined);
    const client = createClient(bridge);
    const listener = vi.fn();
    client.on('settings:changed', listener);

    bridge.emit('settings:changed', { language: 'en', theme: 'light' });
    bridge.emit('settings:changed', { language: 'en', theme: 'sepia' });

    expect(listener).toHaveBeenCalledOnce();
    expect(listener).toHaveBeenCalledWith({ language: 'en', theme: 'light' });
  });
});
