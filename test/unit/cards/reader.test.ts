import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { createMemoryPathCache, readCpxCard, type LearnedPathCache } from '../../../shared/cards';
import { FakeCard } from './fake-card';
import { ATR, atr, AUTH_DER, AUTH_LABEL, cpsFiles, padded, SIG_LABEL } from './profiles';

async function expectCode(promise: Promise<unknown>, code: string): Promise<AppError> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

function assertApduRules(card: FakeCard): void {
  for (const c of card.commands) {
    const ins = c[1];
    expect([0x20, 0x24, 0x2c, 0x44]).not.toContain(ins);
    if (ins === 0xa4 && c[2] === 0x09) {
      expect(c[3]).toBe(0x0c);
      expect(Buffer.from(c.slice(5, 7)).toString('hex')).toBe('3f00');
      expect(c.length).toBe(5 + (c[4] ?? 0)); // case 3: no Le under T=0
    }
    if (ins === 0xb0) {
      const le = c[4] === 0 ? 256 : (c[4] ?? 0);
      expect(le).toBeLessThanOrEqual(0xe7);
      expect(((c[2] ?? 0) << 8) | (c[3] ?? 0)).toBeLessThan(0x8000);
    }
  }
}

describe('readCpxCard on a CPS3 (T=0)', () => {
  it('discovers the authentication certificate through EF.DIR, ODF and CDF within 25 APDUs', async () => {
    const card = new FakeCard({ files: cpsFiles(), t0: true });
    const cache = createMemoryPathCache();
    const result = await readCpxCard(card, { atr: atr(ATR.cps3), cache });
    expect(result.generation).toBe('cps3');
    expect(result.usedLearnedPath).toBe(false);
    expect(result.certificates).toHaveLength(1);
    expect(result.certificates[0]!.role).toBe('authentication');
    expect(result.certificates[0]!.label).toBe(AUTH_LABEL);
    expect(Buffer.from(result.certificates[0]!.der).equals(Buffer.from(AUTH_DER))).toBe(true);
    expect(result.cardNumber).toBe('2600301752');
    expect(result.apdusExchanged).toBe(card.commands.length);
    expect(result.apdusExchanged).toBeLessThanOrEqual(25);
    expect(cache.get('cps3')).toEqual({
      version: 1,
      certificatePath: '3F000001C001',
      certificateLabel: AUTH_LABEL,
      cardNumberPath: '3F00D003',
    });
    assertApduRules(card);
  });

  it('reads only the certificate and EF.SN.ICC on the learned path (≤ 14 APDUs for 2.3 KB)', async () => {
    const cache = createMemoryPathCache();
    await readCpxCard(new FakeCard({ files: cpsFiles(), t0: true }), { atr: atr(ATR.cps3), cache });
    const card = new FakeCard({ files: cpsFiles(), t0: true });
    const result = await readCpxCard(card, { atr: atr(ATR.cps3b), cache });
    expect(result.usedLearnedPath).toBe(true);
    expect(result.apdusExchanged).toBeLessThanOrEqual(14);
    expect(card.log[0]).toBe('00A4090C063F000001C001');
    expect(card.log.filter((c) => c.startsWith('00A4'))).toEqual(['00A4090C063F000001C001', '00A4090C043F00D003']);
    expect(Buffer.from(result.certificates[0]!.der).equals(Buffer.from(AUTH_DER))).toBe(true);
    expect(result.cardNumber).toBe('2600301752');
    assertApduRules(card);
  });

  it('falls back to discovery and relearns when the learned file answers 6A82', async () => {
    const cache: LearnedPathCache = createMemoryPathCache();
    cache.set('cps3', { version: 1, certificatePath: '3F000001C0FF', certificateLabel: 'old', cardNumberPath: null });
    const card = new FakeCard({ files: cpsFiles(), t0: true });
    const result = await readCpxCard(card, { atr: atr(ATR.cps3), cache });
    expect(result.usedLearnedPath).toBe(false);
    expect(card.log[0]).toBe('00A4090C063F000001C0FF');
    expect(cache.get('cps3')?.certificatePath).toBe('3F000001C001');
    expect(result.cardNumber).toBe('2600301752');
  });

  it('ignores a malformed cached value and discovers', async () => {
    const cache = {
      get: () => ({ version: 9, certificatePath: 'nope' }) as never,
      set: () => undefined,
    };
    const result = await readCpxCard(new FakeCard({ files: cpsFiles(), t0: true }), { atr: atr(ATR.cps3), cache });
    expect(result.usedLearnedPath).toBe(false);
  });

  it('matches the certificate to CPS_PRIV_AUT through the PrKDF when labels do not tell', async () => {
    const files = cpsFiles({
      entries: [
        { label: 'Certificat 2', id: '02', path: 'C002' },
        { label: 'Certificat 1', id: '01', path: 'C001' },
      ],
    });
    const card = new FakeCard({ files, t0: true });
    const result = await readCpxCard(card, { atr: atr(ATR.cps3) });
    expect(Buffer.from(result.certificates[0]!.der).equals(Buffer.from(AUTH_DER))).toBe(true);
    expect(card.log).toContain('00A4090C063F0000017001');
    expect(result.apdusExchanged).toBeLessThanOrEqual(25);
    expect(result.cardNumber).toBe('2600301752');
  });

  it('uses the default application DF when EF.DIR is missing, and no card number when EF.SN.ICC is missing', async () => {
    const cache = createMemoryPathCache();
    const card = new FakeCard({ files: cpsFiles({ withDir: false, cardNumber: null }), t0: true });
    const result = await readCpxCard(card, { atr: atr(ATR.cps3), cache });
    // Without EF.SN.ICC the number still comes from the certificate's 1.2.250.1.71.1.2.3 extension.
    expect(result.cardNumber).toBe('2600301752');
    expect(cache.get('cps3')?.cardNumberPath).toBeNull();
    const again = new FakeCard({ files: cpsFiles({ withDir: false, cardNumber: null }), t0: true });
    await readCpxCard(again, { atr: atr(ATR.cps3), cache });
    expect(again.log.some((c) => c.includes('3F00D003'))).toBe(false);
  });

  it('works without T=0 procedures (6282 at end of file)', async () => {
    const result = await readCpxCard(new FakeCard({ files: cpsFiles() }), { atr: atr(ATR.cps3) });
    expect(result.certificates[0]!.der.length).toBe(AUTH_DER.length);
  });

  it('throws card.no-auth-certificate on a signature-only card', async () => {
    const files = cpsFiles({
      entries: [{ label: SIG_LABEL, id: '02', path: 'C002' }],
      keys: [{ label: 'CPS_PRIV_SIG', id: '02' }],
    });
    const error = await expectCode(
      readCpxCard(new FakeCard({ files, t0: true }), { atr: atr(ATR.cps3) }),
      'card.no-auth-certificate',
    );
    expect(error.details?.certificates).toEqual([{ label: SIG_LABEL, role: 'signature' }]);
  });

  it.each([
    ['not DER at all', padded(Uint8Array.from([0x04, 0x82, 0x09, 0x00]))],
    ['a DER length beyond 8 KB', padded(Uint8Array.from([0x30, 0x82, 0x30, 0x00]))],
    ['a truncated file', AUTH_DER.slice(0, 1000)],
    ['a SEQUENCE that is not a certificate', padded(Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x05]))],
  ])('throws card.corrupt-certificate for %s', async (_name, authFile) => {
    const files = cpsFiles({ authFile });
    await expectCode(
      readCpxCard(new FakeCard({ files, t0: true }), { atr: atr(ATR.cps3) }),
      'card.corrupt-certificate',
    );
  });

  it('throws card.protocol with the status word and step on 6982 during the certificate read', async () => {
    const card = new FakeCard({ files: cpsFiles(), t0: true, fail: { ins: 0xb0, sw: 0x6982, path: '3F000001C001' } });
    const error = await expectCode(readCpxCard(card, { atr: atr(ATR.cps3) }), 'card.protocol');
    expect(error.details).toMatchObject({ sw: '6982', step: 'read-certificate', reason: 'security-status' });
  });

  it('refuses contactless CPS3 and unknown cards without sending anything', async () => {
    const card = new FakeCard({ files: cpsFiles() });
    await expectCode(readCpxCard(card, { atr: atr(ATR.contactless) }), 'card.contactless');
    await expectCode(readCpxCard(card, { atr: atr('3B 02 14 50') }), 'card.unknown');
    expect(card.commands).toHaveLength(0);
  });

  it('passes transport errors through untouched', async () => {
    const removed = new AppError('card.removed');
    const transport = { transmit: () => Promise.reject(removed) };
    const error: unknown = await readCpxCard(transport, { atr: atr(ATR.cps3) }).catch((e: unknown) => e);
    expect(error).toBe(removed);
  });

  it('stops with card.aborted when the signal fires mid-read', async () => {
    const controller = new AbortController();
    const card = new FakeCard({ files: cpsFiles(), t0: true });
    const transport = {
      transmit: async (c: Uint8Array) => {
        if (card.commands.length === 3) {
          controller.abort();
        }
        return card.transmit(c);
      },
    };
    await expectCode(readCpxCard(transport, { atr: atr(ATR.cps3), signal: controller.signal }), 'card.aborted');
    expect(card.commands.length).toBe(4);
  });

  it('a card that never answers: card.aborted as soon as the signal fires, without waiting for the transmit', async () => {
    const controller = new AbortController();
    const card = new FakeCard({ files: cpsFiles(), t0: true });
    let outstanding = 0;
    const transport = {
      transmit: (c: Uint8Array) => {
        if (card.commands.length < 2) {
          return card.transmit(c);
        }
        outstanding += 1;
        queueMicrotask(() => {
          controller.abort();
        });
        return new Promise<Uint8Array>(() => undefined);
      },
    };
    const error = await expectCode(
      readCpxCard(transport, { atr: atr(ATR.cps3), signal: controller.signal }),
      'card.aborted',
    );
    expect(outstanding).toBe(1);
    expect(error.details).toMatchObject({ step: expect.any(String) as unknown });
  });

  it('enforces the APDU budget', async () => {
    const error = await expectCode(
      readCpxCard(new FakeCard({ files: cpsFiles(), t0: true }), { atr: atr(ATR.cps3), maxApdus: 5 }),
      'card.protocol',
    );
    expect(error.details?.reason).toBe('too-many-apdus');
  });
});

describe('readCpxCard on a CPS4 (PKI applet on logical channel 1)', () => {
  it('opens channel 1, selects the applet, reads with CLA 01 and closes the channel', async () => {
    const card = new FakeCard({ files: cpsFiles(), cps4: true });
    const cache = createMemoryPathCache();
    const result = await readCpxCard(card, { atr: atr(ATR.cps4), cache });
    expect(result.generation).toBe('cps4');
    expect(card.log[0]).toBe('0070000001');
    expect(card.log[1]).toBe('01A4040C088025000001FF0100');
    expect(card.log.at(-1)).toBe('00708001');
    expect(card.log.filter((c) => c.startsWith('01B0')).length).toBeGreaterThan(10);
    expect(result.cardNumber).toBe('2600301752');
    expect(result.apdusExchanged).toBe(card.commands.length);
    expect(cache.get('cps4')?.certificatePath).toBe('3F000001C001');
  });

  it('reselects the applet once after 6985 and retries', async () => {
    const card = new FakeCard({ files: cpsFiles(), cps4: true, deselectAppletAfter: 6 });
    const result = await readCpxCard(card, { atr: atr(ATR.cps4) });
    expect(card.log.filter((c) => c === '01A4040C088025000001FF0100')).toHaveLength(2);
    expect(Buffer.from(result.certificates[0]!.der).equals(Buffer.from(AUTH_DER))).toBe(true);
  });

  it('throws card.channel-unsupported on 6881', async () => {
    const card = new FakeCard({ files: cpsFiles(), cps4: true, noLogicalChannels: true });
    await expectCode(readCpxCard(card, { atr: atr(ATR.cps4) }), 'card.channel-unsupported');
  });
});

describe('readCpxCard certificate checks', () => {
  it('rediscovers when the learned path now holds the signature certificate', async () => {
    const cache = createMemoryPathCache();
    cache.set('cps3', { version: 1, certificatePath: '3F000001C002', certificateLabel: 'x', cardNumberPath: null });
    const card = new FakeCard({ files: cpsFiles(), t0: true });
    const result = await readCpxCard(card, { atr: atr(ATR.cps3), cache });
    expect(result.usedLearnedPath).toBe(false);
    expect(Buffer.from(result.certificates[0]!.der).equals(Buffer.from(AUTH_DER))).toBe(true);
    expect(cache.get('cps3')?.certificatePath).toBe('3F000001C001');
  });

  it('refuses a signature certificate even when it is labelled as the authentication one', async () => {
    const files = cpsFiles({ entries: [{ label: AUTH_LABEL, id: '01', path: 'C002' }] });
    const error = await expectCode(
      readCpxCard(new FakeCard({ files, t0: true }), { atr: atr(ATR.cps3) }),
      'card.no-auth-certificate',
    );
    expect(error.details?.reason).toBe('signature-not-authentication');
  });
});
