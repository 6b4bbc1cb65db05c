import { describe, expect, it } from 'vitest';
import { classifyAtr, parseAtr } from '../../../shared/cards';
import { ATR, atr } from './profiles';

describe('classifyAtr', () => {
  it.each([
    [ATR.cps3, 'cps3', 'contact'],
    [ATR.cps3b, 'cps3', 'contact'],
    [ATR.cps4, 'cps4', 'contact'],
    ['3B 9B 18 80 01 00 12 25 00 64 80 00 04 01 00 90 40', 'cps4', 'contact'],
    [ATR.contactless, 'cps3-contactless', 'contactless'],
    ['3B 8F 80 01 80 4F 0C A0 00 00 03 06 03 00 01 00 00 00 00 6A', 'unknown', 'contactless'],
    ['3B 02 14 50', 'unknown', 'contact'],
    ['3B', 'unknown', 'unknown'],
    ['', 'unknown', 'unknown'],
    ['3B AC 00 40 2A 00 12 25', 'unknown', 'unknown'],
    ['12 34 56', 'unknown', 'unknown'],
  ])('classifies %s as %s / %s', (hex, generation, iface) => {
    expect(classifyAtr(atr(hex))).toEqual({ generation, interface: iface });
  });

  it('extracts the historical bytes and protocols of a CPS4 ATR', () => {
    const parsed = parseAtr(atr(ATR.cps4));
    expect(parsed?.protocols).toEqual([0, 1]);
    expect(Buffer.from(parsed!.historical).toString('hex')).toBe('0012250064800401000090');
  });
});
