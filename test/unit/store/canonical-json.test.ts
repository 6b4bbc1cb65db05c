import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../electron/services/store/canonical-json';
import type { JsonValue } from '../../../electron/services/store/canonical-json';

describe('canonicalJson', () => {
  it.each<[string, JsonValue, string]>([
    ['sorts keys', { b: 1, a: 2 }, '{"a":2,"b":1}'],
    ['sorts nested keys', { z: { y: 1, x: [{ d: 1, c: 2 }] } }, '{"z":{"x":[{"c":2,"d":1}],"y":1}}'],
    ['keeps array order', [3, 1, 2], '[3,1,2]'],
    ['escapes strings like JSON', { 'é"': 'a\nb' }, '{"é\\"":"a\\nb"}'],
    ['keeps null and booleans', { n: null, t: true, f: false }, '{"f":false,"n":null,"t":true}'],
    ['no whitespace', { a: [1, { b: 'c' }] }, '{"a":[1,{"b":"c"}]}'],
  ])('%s', (_name, value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it('gives the same text whatever the key insertion order', () => {
    const one: JsonValue = { kind: 'x', agent: { upn: 'a', oid: 'b' }, seq: 1 };
    const two: JsonValue = { seq: 1, agent: { oid: 'b', upn: 'a' }, kind: 'x' };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
  });

  it('drops undefined members like JSON.stringify', () => {
    const value = { a: 1, b: undefined } as unknown as JsonValue;
    expect(canonicalJson(value)).toBe('{"a":1}');
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY])('refuses the non-finite number %s', (n) => {
    expect(() => canonicalJson({ n })).toThrow(RangeError);
  });

  it('refuses nesting deeper than 64 levels instead of overflowing the stack', () => {
    let deep: JsonValue = 1;
    for (let i = 0; i < 100; i += 1) {
      deep = [deep];
    }
    expect(() => canonicalJson(deep)).toThrow(RangeError);
  });
});
