import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  chooseValuesToWrite,
  DEFAULT_BINDINGS,
  effectiveBindings,
  matchableForms,
  requiredAffinityFor,
  x509MethodConfigurationSchema,
  type X509MethodConfiguration,
} from '../../../shared/enrollment';
import { formatEntraDn } from '../../../shared/mapping';
import { loadCpeCard } from './fixtures';

const { values, info } = await loadCpeCard();

const binding = (
  x509CertificateField: string,
  userProperty: string,
  priority: number,
  trustAffinityLevel?: 'low' | 'high',
) => ({
  x509CertificateField,
  userProperty,
  priority,
  ...(trustAffinityLevel ? { trustAffinityLevel } : {}),
});

const RECOMMENDED: X509MethodConfiguration = {
  certificateUserBindings: [
    binding('PrincipalName', 'certificateUserIds', 1, 'low'),
    binding('SubjectKeyIdentifier', 'certificateUserIds', 2, 'high'),
  ],
};

describe('effectiveBindings / matchableForms', () => {
  it.each<[string, X509MethodConfiguration, string[]]>([
    ['the recommended configuration', RECOMMENDED, ['PrincipalName', 'SKI']],
    ['a never-configured tenant (defaults: only SKI reaches certificateUserIds)', {}, ['SKI']],
    [
      'bindings sorted by priority',
      {
        certificateUserBindings: [
          binding('IssuerAndSerialNumber', 'certificateUserIds', 5),
          binding('PrincipalName', 'certificateUserIds', 2),
        ],
      },
      ['PrincipalName', 'IssuerAndSerialNumber'],
    ],
    [
      'PN bound to userPrincipalName only',
      { certificateUserBindings: [binding('PrincipalName', 'userPrincipalName', 1)] },
      [],
    ],
    ['an unknown field ignored', { certificateUserBindings: [binding('Thumbprint', 'certificateUserIds', 1)] }, []],
  ])('for %s', (_label, config, forms) => {
    expect(matchableForms(config)).toEqual(forms);
  });

  it('fills a missing affinity from the form and warns about two low-affinity bindings', () => {
    const { bindings, explanations } = effectiveBindings({
      certificateUserBindings: [
        binding('PrincipalName', 'certificateUserIds', 1),
        binding('Subject', 'certificateUserIds', 2),
        binding('SHA1PublicKey', 'certificateUserIds', 3),
      ],
    });
    expect(bindings.map((b) => b.affinity)).toEqual(['low', 'low', 'high']);
    expect(explanations.map((e) => e.code)).toEqual(['bindings.multiple-low-affinity']);
  });
});

describe('chooseValuesToWrite', () => {
  it.each<[string, X509MethodConfiguration, boolean, string[], string[]]>([
    ['PN + SKI on the recommended tenant', RECOMMENDED, false, ['PrincipalName', 'SKI'], []],
    ['only SKI when high affinity is required', RECOMMENDED, true, ['SKI'], ['bindings.low-affinity-skipped']],
    ['only SKI on a default tenant', {}, false, ['SKI'], ['bindings.defaults-assumed', 'bindings.form-not-bound']],
    [
      'I+SR as fallback when only it is bound',
      { certificateUserBindings: [binding('IssuerAndSerialNumber', 'certificateUserIds', 1)] },
      false,
      ['IssuerAndSerialNumber'],
      ['bindings.form-not-bound', 'bindings.form-not-bound', 'bindings.fallback-form'],
    ],
    [
      'SHA1 fallback flagged ambiguous',
      { certificateUserBindings: [binding('SHA1PublicKey', 'certificateUserIds', 1)] },
      false,
      ['SHA1PublicKey'],
      ['bindings.form-not-bound', 'bindings.form-not-bound', 'bindings.fallback-form', 'bindings.ambiguous-form'],
    ],
    [
      'nothing when no binding targets certificateUserIds',
      { certificateUserBindings: [binding('PrincipalName', 'userPrincipalName', 1)] },
      false,
      [],
      ['bindings.none-to-certificate-user-ids'],
    ],
    [
      'nothing when high affinity is required and only PN is bound',
      { certificateUserBindings: [binding('PrincipalName', 'certificateUserIds', 1, 'low')] },
      true,
      [],
      ['bindings.low-affinity-skipped', 'bindings.form-not-bound', 'bindings.affinity-too-low'],
    ],
    [
      'nothing when the card lacks the only bound form',
      { certificateUserBindings: [binding('RFC822Name', 'certificateUserIds', 1)] },
      false,
      [],
      ['bindings.form-not-bound', 'bindings.form-not-bound', 'bindings.none-to-certificate-user-ids'],
    ],
  ])('chooses %s', (_label, config, requireHighAffinity, forms, codes) => {
    const chosen = chooseValuesToWrite(values, config, { requireHighAffinity });
    expect(chosen.values.map((v) => v.form)).toEqual(forms);
    expect(chosen.values.map((v) => v.value)).toEqual(forms.map((f) => values[f as keyof typeof values]));
    expect(chosen.explanations.map((e) => e.code)).toEqual(codes);
  });

  it('links blocking explanations to a checklist item', () => {
    const { explanations } = chooseValuesToWrite(
      values,
      { certificateUserBindings: [binding('PrincipalName', 'certificateUserIds', 1, 'low')] },
      { requireHighAffinity: true },
    );
    expect(explanations.find((e) => e.severity === 'error')?.checkId).toBe('cba-affinity');
  });
});

describe('requiredAffinityFor', () => {
  const issuerDn = formatEntraDn(info.issuer);
  const rule = (type: string, identifier: string, level: 'low' | 'high') => ({
    x509CertificateRuleType: type,
    identifier,
    x509CertificateAuthenticationMode: 'x509CertificateMultiFactor',
    x509CertificateRequiredAffinityLevel: level,
  });
  it.each<[string, X509MethodConfiguration, 'low' | 'high']>([
    ['no configuration', {}, 'low'],
    [
      'tenant default high',
      { authenticationModeConfiguration: { x509CertificateDefaultRequiredAffinityLevel: 'high' } },
      'high',
    ],
    [
      'an issuer rule (written most-specific first) requiring high',
      {
        authenticationModeConfiguration: {
          rules: [rule('issuerSubject', issuerDn.split(',').reverse().join(', '), 'high')],
        },
      },
      'high',
    ],
    [
      'an issuer rule for another CA',
      { authenticationModeConfiguration: { rules: [rule('issuerSubject', 'CN=Other CA', 'high')] } },
      'low',
    ],
    [
      'a policy OID rule matching the card',
      { authenticationModeConfiguration: { rules: [rule('policyOID', '1.2.250.1.213.1.7.2.1.1.1.1', 'high')] } },
      'high',
    ],
  ])('is computed for %s', (_label, config, expected) => {
    expect(requiredAffinityFor(config, { issuerDn, policyOids: info.policies })).toBe(expected);
  });
});

describe('Graph schema', () => {
  const csdl = readFileSync(fileURLToPath(new URL('../../../../shared/graph/v1.0-Prod.csdl', import.meta.url)), 'utf8');
  const complexProps = (name: string): string[] => {
    const block = new RegExp(`<ComplexType Name="${name}">([\\s\\S]*?)</ComplexType>`).exec(csdl)?.[1] ?? '';
    return [...block.matchAll(/<Property Name="([^"]+)"/g)].map((m) => m[1] ?? '');
  };

  it('names only properties of x509CertificateUserBinding and the mode configuration', () => {
    const bindingProps = complexProps('x509CertificateUserBinding');
    for (const b of DEFAULT_BINDINGS) {
      expect(bindingProps).toEqual(expect.arrayContaining(Object.keys(b)));
    }
    expect(complexProps('x509CertificateAuthenticationModeConfiguration')).toEqual(
      expect.arrayContaining(['rules', 'x509CertificateDefaultRequiredAffinityLevel']),
    );
    expect(complexProps('x509CertificateRule')).toEqual(
      expect.arrayContaining([
        'identifier',
        'x509CertificateRuleType',
        'x509CertificateRequiredAffinityLevel',
        'issuerSubjectIdentifier',
        'policyOidIdentifier',
      ]),
    );
  });

  it('parses a Graph GET response and keeps unknown properties', () => {
    const parsed = x509MethodConfigurationSchema.parse({
      '@odata.type': '#microsoft.graph.x509CertificateAuthenticationMethodConfiguration',
      id: 'X509Certificate',
      state: 'enabled',
      certificateUserBindings: [
        {
          x509CertificateField: 'PrincipalName',
          userProperty: 'certificateUserIds',
          priority: 1,
          trustAffinityLevel: 'low',
        },
      ],
      authenticationModeConfiguration: {
        x509CertificateAuthenticationDefaultMode: 'x509CertificateMultiFactor',
        x509CertificateDefaultRequiredAffinityLevel: 'low',
        rules: [],
      },
      issuerHintsConfiguration: { state: 'disabled' },
    });
    expect(parsed.state).toBe('enabled');
    expect(matchableForms(parsed)).toEqual(['PrincipalName']);
  });
});
