import { describe, expect, it } from 'vitest';
import { checkAgainstSchema, loadGraphSchema } from '../../helpers/emulators/csdl';

describe('Graph schema checker', () => {
  const schema = loadGraphSchema();

  it.each([
    [
      'accepts a known user shape',
      'user',
      { id: '1', displayName: 'A', authorizationInfo: { certificateUserIds: ['X509:<PN>a'] } },
      [],
    ],
    ['flags an unknown user property', 'user', { id: '1', certificateUserIds: [] }, ['$.certificateUserIds']],
    [
      'follows @odata.type casts',
      'authenticationMethodConfiguration',
      {
        '@odata.type': '#microsoft.graph.x509CertificateAuthenticationMethodConfiguration',
        state: 'enabled',
        certificateUserBindings: [],
      },
      [],
    ],
    [
      'flags an x509 default mode misplaced at the root',
      'authenticationMethodConfiguration',
      {
        '@odata.type': '#microsoft.graph.x509CertificateAuthenticationMethodConfiguration',
        x509CertificateAuthenticationDefaultMode: 'x509CertificateMultiFactor',
      },
      ['$.x509CertificateAuthenticationDefaultMode'],
    ],
    [
      'flags an unknown enum member',
      'authenticationMethodConfiguration',
      { '@odata.type': '#microsoft.graph.x509CertificateAuthenticationMethodConfiguration', state: 'on' },
      ['$.state'],
    ],
    [
      'accepts flags-enum combinations',
      'authenticationStrengthPolicy',
      { allowedCombinations: ['password,microsoftAuthenticatorPush', 'fido2'] },
      [],
    ],
    [
      'flags a bad member inside a combination',
      'authenticationStrengthPolicy',
      { allowedCombinations: ['password,carrierPigeon'] },
      ['$.allowedCombinations[0]'],
    ],
    [
      'flags an unknown @odata.type',
      'authenticationMethodConfiguration',
      { '@odata.type': '#microsoft.graph.pigeonConfiguration' },
      ['$'],
    ],
  ] as const)('%s', (_name, type, value, paths) => {
    expect(checkAgainstSchema(schema, type, value).map((v) => v.path)).toEqual(paths);
  });

  it('accepts beta-only properties only when checking beta', () => {
    const betaOnly = [...(schema.betaExtra.get('microsoft.graph.user') ?? [])].find(
      (p) => !schema.types.get('microsoft.graph.user')?.props.has(p) && !p.startsWith('extension'),
    );
    expect(betaOnly).toBeDefined();
    const value = { id: '1', [betaOnly ?? '']: null };
    expect(checkAgainstSchema(schema, 'user', { ...value, [betaOnly ?? '']: 'x' })).toHaveLength(1);
    expect(checkAgainstSchema(schema, 'user', { ...value, [betaOnly ?? '']: 'x' }, { beta: true })).toEqual([]);
  });
});
