import { describe, expect, it } from 'vitest';
import {
  buildGetResponse,
  buildReadBinary,
  buildSelectAid,
  buildSelectPath,
  classifySw,
  parseResponse,
  withLe,
} from '../../../shared/cards/apdu';
import { fromHex, toHex } from '../../../shared/cards/hex';

describe('apdu builders', () => {
  it.each([
    ['select path EF.DIR', () => buildSelectPath(fromHex('3F002F00')), '00a4090c043f002f00'],
    ['select path with FCP on channel 1', () => buildSelectPath(fromHex('3F000001'), 1, 0x04), '01a40904043f000001'],
    ['select AID', () => buildSelectAid(fromHex('8025000001FF0100'), 1), '01a4040c088025000001ff0100'],
    ['read binary', () => buildReadBinary(0x01ce, 0xe7), '00b001cee7'],
    ['read binary 256', () => buildReadBinary(0, 256), '00b0000000'],
    ['get response', () => buildGetResponse(0x1c), '00c000001c'],
    ['withLe on case 2', () => withLe(fromHex('00b00000e7'), 0x1e), '00b000001e'],
    ['withLe on case 3', () => withLe(fromHex('00a40904043f000001'), 0), '00a40904043f00000100'],
  ])('%s', (_name, build, expected) => {
    expect(toHex(build())).toBe(expected);
  });

  it.each([
    [() => buildReadBinary(0x8000, 1)],
    [() => buildReadBinary(0, 0)],
    [() => buildReadBinary(0, 257)],
    [() => buildSelectPath(fromHex('3F'))],
    [() => buildSelectAid(new Uint8Array(0))],
  ])('rejects out-of-range parameters (%#)', (build) => {
    expect(build).toThrow(RangeError);
  });
});

describe('status words', () => {
  it.each([
    [0x9000, 'ok'],
    [0x6110, 'more-data'],
    [0x6c1e, 'wrong-le'],
    [0x6282, 'end-of-file'],
    [0x6a82, 'not-found'],
    [0x6982, 'security'],
    [0x6985, 'conditions'],
    [0x6a86, 'wrong-parameters'],
    [0x6b00, 'wrong-parameters'],
    [0x6881, 'channel-unsupported'],
    [0x6700, 'wrong-length'],
    [0x6f00, 'error'],
  ])('classifies %s', (sw, expected) => {
    expect(classifySw(sw)).toBe(expected);
  });

  it('splits data and status word, and rejects short responses', () => {
    expect(parseResponse(fromHex('0102 9000'))).toEqual({ data: fromHex('0102'), sw: 0x9000 });
    expect(parseResponse(fromHex('90'))).toBeNull();
  });
});
