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

describe('a CPS4 answering 6985 in the middle of a READ BINARY', () => {
  const APPLET_SELECT = '01A4040C088025000001FF0100';

  /** Index in the card's command log of the N-th READ BINARY on logical channel 1. */
  const nthChannelRead = (commands: readonly string[], n: number): number => {
    let seen = 0;
    return commands.findIndex((c) => c.startsWith('01B0') && ++seen === n);
  };

  it.each([1, 2, 4, 7, 10])(
    'reselects the applet, then the file, and resumes at the same offset when READ BINARY #%i answers 6985',
    async (n) => {
      const cache = createMemoryPathCache();
      const built = await buildCard('cps4', { readBinaryConditionsAt: n });
      const transport = createInProcessTransport(built.card);
      const result = await readCpxCard(transport, { atr: transport.atr, cache });
      expect(Buffer.from(result.certificates[0]!.der).equals(Buffer.from(built.authenticationDer!))).toBe(true);
      expect(result.cardNumber).toBe(built.cardNumber);
      const commands = built.card.audit().commands;
      const failed = nthChannelRead(commands, n);
      expect(failed).toBeGreaterThan(0);
      const [applet, file, resumed] = commands.slice(failed + 1, failed + 4);
      expect(applet).toBe(APPLET_SELECT);
      // SELECT by path (P1 08/09) on channel 1, the path of the file being read: the one selected before the read.
      expect(file).toMatch(/^01A40[89]0C/);
      const selectedBefore = commands.slice(0, failed).findLast((c) => /^01A40[89]0C/.test(c));
      expect(file).toBe(selectedBefore);
      expect(resumed).toBe(commands[failed]);
    },
    60_000,
  );

  it('recovers on the learned path too (one 6985 on the certificate read)', async () => {
    const cache = createMemoryPathCache();
    const first = await buildCard('cps4');
    await readCpxCard(createInProcessTransport(first.card), { atr: first.card.atr, cache });
    const built = await buildCard('cps4', { readBinaryConditionsAt: 3 });
    const transport = createInProcessTransport(built.card);
    const result = await readCpxCard(transport, { atr: transport.atr, cache });
    expect(result.usedLearnedPath).toBe(true);
    expect(Buffer.from(result.certificates[0]!.der).equals(Buffer.from(built.authenticationDer!))).toBe(true);
    expect(built.card.audit().commands.filter((c) => c === APPLET_SELECT)).toHaveLength(3);
  }, 60_000);
});
