import { beforeAll, describe, expect, it } from 'vitest';
import { readCpxCard, createMemoryPathCache } from '../../../../shared/cards';
import type { BuiltCard } from '../../../../emulators/card';
import { CARD_PROFILES, buildCard, createInProcessTransport } from '../../../../emulators/card';
import { hex, toHex } from '../../../../emulators/card/der';

const send = (built: BuiltCard, apdu: string) => toHex(built.card.respond(hex(apdu)));

describe('virtual CPS3 card, raw APDUs', () => {
  let cps3: BuiltCard;
  beforeAll(async () => {
    cps3 = await buildCard('cps3');
  });

  it.each([
    ['SELECT path with P2=00 is refused', ['00A40900043F00D003'], '6A86'],
    ['SELECT EF.SN.ICC, no data', ['00A4090C043F00D003'], '9000'],
    ['case-4 SELECT under T=0 answers 61xx', ['00A40904043F00D003'], '6110'],
    ['unknown file', ['00A4090C043F001234'], '6A82'],
    ['unknown INS', ['00CA010000'], '6D00'],
    ['wrong CLA', ['A0A4090C043F00D003'], '6E00'],
    ['closed logical channel', ['01A4090C043F00D003'], '6881'],
    ['READ BINARY without a current EF', ['00B0000010'], '6986'],
    ['READ BINARY beyond the end', ['00A4090C043F00D003', '00B0010010'], '6B00'],
    ['GET RESPONSE with too big Le', ['00A40904043F00D003', '00C0000030'], '6C10'],
    ['extended length refused', ['00B00000000100'], '6700'],
  ])('%s', (_name, apdus, expected) => {
    cps3.card.powerOn();
    let last = '';
    for (const apdu of apdus) {
      last = send(cps3, apdu);
    }
    expect(last.slice(-4)).toBe(expected);
  });

  it('reads EF.SN.ICC and reports the end of file with what remains', () => {
    send(cps3, '00A4090C043F00D003');
    const answer = send(cps3, '00B0000020');
    expect(answer).toBe(`5A0A8025000001${cps3.cardNumber ?? ''}6282`);
  });

  it('answers the FCP through GET RESPONSE', () => {
    send(cps3, '00A40904043F00D003');
    expect(send(cps3, '00C0000010')).toMatch(/^620E800200.*9000$/);
  });

  it('records VERIFY and resets as forbidden', async () => {
    const card = (await buildCard('cps3')).card;
    card.respond(hex('0020008100'));
    card.reset();
    expect(card.audit().verifyCommands).toBe(1);
    expect(card.audit().resets).toBe(1);
    expect(card.audit().forbidden).toEqual(['VERIFY 00200081', 'RESET']);
  });
});

describe('virtual CPS4 card', () => {
  it('needs the PKI applet on a logical channel and a reselect after 6985', async () => {
    const built = await buildCard('cps4');
    expect(send(built, '00A4040C08802500000' + '1FF0100')).toBe('6A82');
    expect(send(built, '0070000001')).toBe('019000');
    expect(send(built, '01A4040C088025000001FF0100')).toBe('9000');
    expect(send(built, '01A4090C063F0000015031')).toBe('6985');
    expect(send(built, '01A4090C063F0000015031')).toBe('6985');
    expect(send(built, '01A4040C088025000001FF0100')).toBe('9000');
    expect(send(built, '01A4090C063F0000015031')).toBe('9000');
    expect(send(built, '01B0000004').slice(0, 2)).toBe('A0');
  });
});

describe('the pure reader discovers the certificate on every profile', () => {
  it.each(
    CARD_PROFILES.filter(
      (p) =>
        ![
          'cps3-contactless',
          'unknown',
          'signature-only',
          'corrupt-certificate',
          'real-cps-signature',
          'pulled-mid-read',
        ].includes(p),
    ),
  )('%s', async (profile) => {
    const built = await buildCard(profile, profile === 'slow' || profile === 'stalled' ? { delayMs: 1 } : {});
    const cache = createMemoryPathCache();
    const transport = createInProcessTransport(built.card);
    const first = await readCpxCard(transport, { atr: built.card.atr, cache });
    expect(first.usedLearnedPath).toBe(false);
    expect(first.cardNumber).toBe(built.cardNumber);
    expect(toHex(first.certificates[0]!.der)).toBe(toHex(built.authenticationDer!));
    const second = await readCpxCard(transport, { atr: built.card.atr, cache });
    expect(second.usedLearnedPath).toBe(true);
    expect(second.apdusExchanged).toBeLessThan(first.apdusExchanged);
    expect(built.card.audit().verifyCommands + built.card.audit().resets).toBe(0);
  });

  it.each([
    ['signature-only', 'card.no-auth-certificate'],
    ['real-cps-signature', 'card.no-auth-certificate'],
    ['corrupt-certificate', 'card.corrupt-certificate'],
    ['cps3-contactless', 'card.contactless'],
    ['unknown', 'card.unknown'],
  ] as const)('%s fails with %s', async (profile, code) => {
    const built = await buildCard(profile);
    await expect(readCpxCard(createInProcessTransport(built.card), { atr: built.card.atr })).rejects.toMatchObject({
      code,
    });
  });
});

describe('learned paths and CPS4 variants', () => {
  it('falls back to discovery when the learned file is gone (6A82) on a card with other file IDs', async () => {
    const cache = createMemoryPathCache();
    const first = await buildCard('cps3');
    await readCpxCard(createInProcessTransport(first.card), { atr: first.card.atr, cache });
    const moved = await buildCard('cps3', { fids: { authentication: 0xc6d1 } });
    const result = await readCpxCard(createInProcessTransport(moved.card), { atr: moved.card.atr, cache });
    expect(result.usedLearnedPath).toBe(false);
    expect(toHex(result.certificates[0]!.der)).toBe(toHex(moved.authenticationDer!));
    expect(moved.card.audit().commands).toContain('00A4090C063F000001C5A1');
  });

  it.each([0, 1])('CPS4 asking for %i reselection(s) is still read', async (reselectFailures) => {
    const built = await buildCard('cps4', { reselectFailures });
    const result = await readCpxCard(createInProcessTransport(built.card), { atr: built.card.atr });
    expect(toHex(result.certificates[0]!.der)).toBe(toHex(built.authenticationDer!));
    const selects = built.card.audit().commands.filter((c) => c.startsWith('01A40400') || c.startsWith('01A4040C'));
    expect(selects).toHaveLength(1 + reselectFailures);
  });

  it('a CPS4 that keeps answering 6985 ends in a typed error, not a loop', async () => {
    const built = await buildCard('cps4', { reselectFailures: 5 });
    await expect(readCpxCard(createInProcessTransport(built.card), { atr: built.card.atr })).rejects.toMatchObject({
      code: 'card.protocol',
    });
    expect(built.card.audit().apdus).toBeLessThan(10);
  });
});
