/**
 * The reader against the sibling virtual card (emulators/card) through its in-process transport: both sides were
 * written independently from the standards, so agreement here is a real interoperability check.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { createMemoryPathCache, readCpxCard } from '../../../shared/cards';
import { buildCard, createInProcessTransport, type CardProfileName } from '../../../emulators/card';

async function read(profile: CardProfileName, cache = createMemoryPathCache()) {
  const built = await buildCard(profile);
  const transport = createInProcessTransport(built.card);
  return { built, result: await readCpxCard(transport, { atr: transport.atr, cache }) };
}

async function codeOf(profile: CardProfileName): Promise<string> {
  try {
    await read(profile);
    return 'ok';
  } catch (error) {
    return error instanceof AppError ? error.code : `untyped:${String(error)}`;
  }
}

describe('readCpxCard against the virtual card', () => {
  it.each(['cps3', 'cps4', 'real-cpe'] as const)(
    'reads the authentication certificate and card number of a %s card, then uses the learned path',
    async (profile) => {
      const cache = createMemoryPathCache();
      const { built, result } = await read(profile, cache);
      expect(Buffer.from(result.certificates[0]!.der).equals(Buffer.from(built.authenticationDer!))).toBe(true);
      expect(result.cardNumber).toBe(built.cardNumber);
      expect(result.usedLearnedPath).toBe(false);
      expect(result.apdusExchanged).toBeLessThanOrEqual(profile === 'cps4' ? 28 : 25);
      const again = await read(profile, cache);
      expect(again.result.usedLearnedPath).toBe(true);
      expect(again.result.apdusExchanged).toBeLessThanOrEqual(profile === 'cps4' ? 17 : 14);
    },
    60_000,
  );

  it.each([
    ['cps3-contactless', 'card.contactless'],
    ['unknown', 'card.unknown'],
    ['signature-only', 'card.no-auth-certificate'],
    ['real-cps-signature', 'card.no-auth-certificate'],
    ['corrupt-certificate', 'card.corrupt-certificate'],
  ] as const)(
    'reports %s as %s',
    async (profile, code) => {
      expect(await codeOf(profile)).toBe(code);
    },
    60_000,
  );
});

describe('a CPS3 with a real-size (~2.3 KB) authentication certificate', () => {
  it('is padded to the requested size, still parses, and a learned-path read takes at most 14 APDUs', async () => {
    const built = await buildCard('cps3', { authenticationBytes: 2300 });
    const der = built.authenticationDer!;
    expect(Math.abs(der.length - 2300)).toBeLessThanOrEqual(4);
    expect(built.certificates?.authentication.certificate.subject).toContain('LÉGER-DUPRÉ');
    const cache = createMemoryPathCache();
    const transport = createInProcessTransport(built.card);
    const first = await readCpxCard(transport, { atr: transport.atr, cache });
    const second = await readCpxCard(createInProcessTransport(built.card), { atr: transport.atr, cache });
    expect(Buffer.from(second.certificates[0]!.der).equals(Buffer.from(der))).toBe(true);
    expect(first.usedLearnedPath).toBe(false);
    expect(second.usedLearnedPath).toBe(true);
    expect(second.apdusExchanged).toBeLessThanOrEqual(14);
    expect(first.apdusExchanged).toBeLessThanOrEqual(25);
  });
});
