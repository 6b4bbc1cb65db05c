/**
 * The identifier attribute setting only reaches Graph when it is one Graph can filter on: the free-text search and the
 * card queries add its top-level property to `$select` then, and never put a malformed setting there as raw text.
 */
import { describe, expect, it } from 'vitest';
import { freeTextQuery } from '../../../electron/services/enrollment/find';
import { IDENTIFIER_ATTRIBUTE } from '../../../shared/contract/schemas';
import { isValidIdentifierAttribute, USER_SELECT, userSelectWith } from '../../../shared/enrollment';

const base = USER_SELECT.join(',');

describe('$select with the identifier attribute', () => {
  it.each([
    ['not configured', null, base],
    [
      'an extension attribute',
      'onPremisesExtensionAttributes/extensionAttribute3',
      `${base},onPremisesExtensionAttributes`,
    ],
    ['a directory extension', `extension_${'0f'.repeat(16)}_rpps`, `${base},extension_${'0f'.repeat(16)}_rpps`],
    ['employeeId (already selected)', 'employeeId', base],
    ['an OData injection', "x) or true or (a eq 'b", base],
    ['a property list', 'employeeId,passwordProfile', base],
    ['a path into another property', 'manager/id', base],
    ['extensionAttribute16', 'onPremisesExtensionAttributes/extensionAttribute16', base],
  ])('%s', (_label, attribute, expected) => {
    expect(userSelectWith(attribute)).toBe(expected);
    expect(freeTextQuery('dup', attribute).query.$select).toBe(expected);
  });

  it('USER_SELECT holds employeeId, so a valid attribute never duplicates a field', () => {
    expect(USER_SELECT).toContain('employeeId');
    expect(new Set(userSelectWith('employeeId').split(',')).size).toBe(USER_SELECT.length);
  });

  it('the shared regex is the one the search validates with', () => {
    for (const attribute of ['employeeId', 'onPremisesExtensionAttributes/extensionAttribute1', 'rpps', '']) {
      expect(isValidIdentifierAttribute(attribute)).toBe(IDENTIFIER_ATTRIBUTE.test(attribute));
    }
  });
});
