import { describe, expect, it } from 'vitest';
import { createLaunchTokens, randomToken } from '../../../electron/hosts/browser/security';

describe('electron/hosts/browser/security launch tokens', () => {
  it('accepts a minted token once, then reports it as already used', () => {
    const tokens = createLaunchTokens();
    const token = tokens.mint();

    expect([tokens.redeem(token), tokens.redeem(token), tokens.redeem(token)]).toEqual([
      'accepted',
      'already-used',
      'already-used',
    ]);
  });

  it.each([
    ['a token never minted', () => randomToken()],
    ['an empty token', () => ''],
    ['the first token with one character changed', (first: string) => `${first.slice(0, -1)}x`],
    ['a prefix of the first token', (first: string) => first.slice(0, 20)],
  ])('reports %s as unknown and leaves the real one usable', (_label, presented) => {
    const first = 'first-token-0123456789abcdefghijklmnopqrstu';
    const tokens = createLaunchTokens(first);

    expect(tokens.redeem(presented(first))).toBe('unknown');
    expect(tokens.redeem(first)).toBe('accepted');
  });

  it('keeps each minted token independent: spending one leaves the others usable', () => {
    const tokens = createLaunchTokens('given-first-token');
    const [a, b] = [tokens.mint(), tokens.mint()];

    expect(tokens.redeem(b)).toBe('accepted');
    expect(tokens.redeem('given-first-token')).toBe('accepted');
    expect(tokens.redeem(a)).toBe('accepted');
    expect(tokens.redeem(b)).toBe('already-used');
  });

  it('keeps at most 16 unused tokens: the oldest unused one is dropped', () => {
    const tokens = createLaunchTokens();
    const minted = Array.from({ length: 17 }, () => tokens.mint());

    expect(tokens.redeem(minted[0] ?? '')).toBe('unknown');
    expect(minted.slice(1).map((token) => tokens.redeem(token))).toEqual(Array(16).fill('accepted'));
  });

  it('mints 256-bit URL-safe random tokens', () => {
    const seen = new Set(Array.from({ length: 50 }, () => randomToken()));

    expect(seen.size).toBe(50);
    for (const token of seen) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
  });
});
