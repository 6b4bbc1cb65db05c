import { describe, expect, it, vi } from 'vitest';
import { channels } from '../../../shared/contract/channels';
import { createDispatcher } from '../../../shared/contract/dispatcher';
import type { Handlers } from '../../../shared/contract/dispatcher';
import { AppError } from '../../../shared/errors';

/** A spy for every channel; the three used here answer, the others fail loudly if ever reached. */
function spyHandlers(overrides: Partial<Handlers> = {}): Handlers {
  const everyChannel = Object.fromEntries(
    Object.keys(channels).map((name) => [name, vi.fn(() => Promise.reject(new Error(`${name} is not under test`)))]),
  );
  const handlers = {
    ...everyChannel,
    'app:get-info': vi.fn(() =>
      Promise.resolve({
        name: 'Assistant PSC',
        version: '1.0.0',
        mode: 'demo' as const,
        host: 'browser' as const,
        platform: 'linux',
      }),
    ),
    'settings:get': vi.fn(() => Promise.resolve({ language: 'fr' as const, theme: 'system' as const })),
    'settings:update': vi.fn((patch: { language?: 'fr' | 'en' }) =>
      Promise.resolve({ language: patch.language ?? ('fr' as const), theme: 'system' as const }),
    ),
    ...overrides,
  };
  return handlers as Handlers;
}

describe('shared/contract/dispatcher', () => {
  it.each([
    ['an unknown channel', 'cards:format-card'],
    ['a prototype key', '__proto__'],
    ['a non-string channel', 42],
    ['an inherited method name', 'toString'],
  ])('refuses %s before any service runs', async (_label, channel) => {
    const handlers = spyHandlers();
    const dispatch = createDispatcher(handlers, vi.fn());

    const result = await dispatch(channel, undefined);

    expect(result).toMatchObject({ ok: false, error: { code: 'contract.unknown-channel' } });
    for (const handler of Object.values(handlers)) {
      expect(handler).not.toHaveBeenCalled();
    }
  });

  it.each([
    ['a wrong enum member', { language: 'de' }],
    ['an undeclared property', { language: 'fr', isAdmin: true }],
    ['a wrong type', { theme: 7 }],
    ['a non-object', 'fr'],
  ])('refuses %s with contract.invalid-input and never calls the handler', async (_label, payload) => {
    const handlers = spyHandlers();
    const dispatch = createDispatcher(handlers, vi.fn());

    const result = await dispatch('settings:update', payload);

    expect(result).toMatchObject({
      ok: false,
      error: { code: 'contract.invalid-input', messageKey: 'errors.contract.invalid-input' },
    });
    expect(handlers['settings:update']).not.toHaveBeenCalled();
  });

  it('refuses input on a channel that takes none', async () => {
    const handlers = spyHandlers();
    const dispatch = createDispatcher(handlers, vi.fn());

    const result = await dispatch('settings:get', { sneaky: true });

    expect(result).toMatchObject({ ok: false, error: { code: 'contract.invalid-input' } });
    expect(handlers['settings:get']).not.toHaveBeenCalled();
  });

  it('passes parsed input to the handler and wraps its value', async () => {
    const handlers = spyHandlers();
    const dispatch = createDispatcher(handlers, vi.fn());

    const result = await dispatch('settings:update', { language: 'en' });

    expect(handlers['settings:update']).toHaveBeenCalledWith({ language: 'en' });
    expect(result).toEqual({ ok: true, value: { language: 'en', theme: 'system' } });
  });

  it('turns an AppError into the error envelope with its code and details', async () => {
    const handlers = spyHandlers({
      'settings:get': () => Promise.reject(new AppError('card.removed', { details: { reader: 'Lecteur 1' } })),
    });
    const dispatch = createDispatcher(handlers, vi.fn());

    const result = await dispatch('settings:get', undefined);

    expect(result).toEqual({
      ok: false,
      error: { code: 'card.removed', messageKey: 'errors.card.removed', details: { reader: 'Lecteur 1' } },
    });
  });

  it('hides a bug behind `internal` and reports it, without leaking the message', async () => {
    const reportBug = vi.fn();
    const handlers = spyHandlers({ 'settings:get': () => Promise.reject(new Error('secret path /home/agent/token')) });
    const dispatch = createDispatcher(handlers, reportBug);

    const result = await dispatch('settings:get', undefined);

    expect(result).toEqual({
      ok: false,
      error: { code: 'internal', messageKey: 'errors.internal', details: { channel: 'settings:get' } },
    });
    expect(JSON.stringify(result)).not.toContain('secret');
    expect(reportBug).toHaveBeenCalledOnce();
  });

  it('refuses a handler output that breaks the output schema', async () => {
    const reportBug = vi.fn();
    const handlers = spyHandlers({
      'settings:get': () => Promise.resolve({ language: 'klingon' } as never),
    });
    const dispatch = createDispatcher(handlers, reportBug);

    const result = await dispatch('settings:get', undefined);

    expect(result).toMatchObject({ ok: false, error: { code: 'contract.invalid-output' } });
    expect(reportBug).toHaveBeenCalledOnce();
  });

  it('strips fields a handler returns beyond the output schema', async () => {
    const handlers = spyHandlers({
      'settings:get': () => Promise.resolve({ language: 'fr', theme: 'dark', accessToken: 'eyJ…' } as never),
    });
    const dispatch = createDispatcher(handlers, vi.fn());

    const result = await dispatch('settings:get', undefined);

    expect(result).toEqual({ ok: true, value: { language: 'fr', theme: 'dark' } });
  });
});
