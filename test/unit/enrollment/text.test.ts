import { describe, expect, it } from 'vitest';
import {
  accentSafePrefix,
  foldName,
  odataString,
  searchToken,
  spellingVariants,
  stripAccents,
} from '../../../shared/enrollment';

describe('text', () => {
  it.each([
    ['Hélène', 'Helene'],
    ['ŒUVRE Cœur', 'OEUVRE Coeur'],
    ['François-Xavier', 'Francois-Xavier'],
    ['MÜLLER', 'MULLER'],
  ])('stripAccents(%s) = %s', (input, expected) => {
    expect(stripAccents(input)).toBe(expected);
  });

  it.each([
    ["  D'Arc-Dupré ", 'd arc dupre'],
    ['JEAN  PIERRE', 'jean pierre'],
    ['Saint.Éloi', 'saint eloi'],
  ])('foldName(%s) = %s', (input, expected) => {
    expect(foldName(input)).toBe(expected);
  });

  it.each([
    ['DUPRÉ', 'DUPR'],
    ['HÉLÈNE', 'H'],
    ['BRQ', 'BRQ'],
    ['Élodie', ''],
    ['CHARLES', 'CHARL'],
    ['Marc', 'Mar'],
  ])('accentSafePrefix(%s) = %s', (input, expected) => {
    expect(accentSafePrefix(input)).toBe(expected);
  });

  it.each([
    ['DUPRÉ', ['DUPRÉ', 'DUPRE', 'DUPR']],
    ['Dupre', ['Dupre', 'Dupr']],
    ['Hélène', ['Hélène', 'Helene']],
    ['   ', []],
  ])('spellingVariants(%s)', (input, expected) => {
    expect(spellingVariants(input)).toEqual(expected);
  });

  it.each([
    ["O'Brien", "'O''Brien'"],
    ["''", "''''''"],
    ['plain', "'plain'"],
  ])('odataString(%s) = %s', (input, expected) => {
    expect(odataString(input)).toBe(expected);
  });

  it('drops quotes and backslashes from $search tokens', () => {
    expect(searchToken(' a"b\\c ')).toBe('abc');
  });
});
