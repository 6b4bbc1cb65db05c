import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphService } from '../../../electron/services/graph/index';
import { createGraphService } from '../../../electron/services/graph/index';
import { checkActionBody, checkAgainstSchema, loadGraphSchema } from '../../helpers/emulators/csdl';
import type { Emulators } from '../../helpers/emulators/index';
import { startEmulators } from '../../helpers/emulators/index';

const readScopes = [
  'Organization.Read.All',
  'User.Read.All',
  'GroupMember.Read.All',
  'Policy.Read.All',
  'PublicKeyInfrastructure.Read.All',
  'Application.Read.All',
  'DelegatedPermissionGrant.Read.All',
];
const writeScopes = [
  'User.ReadWrite.All',
  'Policy.ReadWrite.AuthenticationMethod',
  'Policy.ReadWrite.ConditionalAccess',
  'Policy.ReadWrite.SecurityDefaults',
];

const tenants = [
  { key: 'vide', admin: 'admin@vide.onmicrosoft.com' },
  { key: 'clinique-demo', admin: 'camille.admin@clinique-demo.fr' },
  { key: 'conforme', admin: 'admin@chu-conforme.fr' },
] as const;

type Collection = { value: Record<string, unknown>[] };

describe('Graph emulator responses and app request bodies conform to the Graph schema', () => {
  let emu: Emulators;
  const schema = loadGraphSchema();

  beforeAll(async () => {
    emu = await startEmulators({ graph: { conditionalAccessPerSecond: 0 } });
  });
  afterAll(async () => {
    await emu.close();
  });

  const serviceFor = (admin: string): GraphService =>
    createGraphService({
      baseUrl: emu.graph.url,
      caCertPem: emu.graph.caCertPem,
      tenantId: admin,
      readScopes,
      tokens: (r) =>
        Promise.resolve(
          emu.authority.issueAccessToken({ userPrincipalName: admin, scopes: [...r.scopes, ...writeScopes] }),
        ),
      conditionalAccessIntervalMs: 0,
    });

  it.each(tenants)(
    'every read route of tenant $key returns only schema properties and enum members',
    async ({ key, admin }) => {
      const graph = serviceFor(admin);
      const t = emu.graph.tenant(key);
      const violations: { route: string; path: string; problem: string }[] = [];
      const check = (route: string, type: string, value: unknown, beta = false) => {
        for (const v of checkAgainstSchema(schema, type, value, { beta })) {
          violations.push({ route, ...v });
        }
      };
      const collection = async (route: string, type: string, version: 'v1.0' | 'beta' = 'v1.0') => {
        const body = await graph.get<Collection>(route, { version });
        for (const item of body.value) {
          check(`${version}${route}`, type, item, version === 'beta');
        }
        return body.value;
      };
      for (const version of ['v1.0', 'beta'] as const) {
        await collection('/organization', 'organization', version);
        await collection('/subscribedSkus', 'subscribedSku', version);
        await collection(
          '/users?$select=id,displayName,userPrincipalName,onPremisesSyncEnabled,authorizationInfo',
          'user',
          version,
        );
        await collection('/users', 'user', version);
        const groups = await collection('/groups', 'group', version);
        for (const g of groups) {
          await collection(`/groups/${String(g.id)}/members`, 'directoryObject', version);
        }
        check(
          'authenticationMethodsPolicy',
          'authenticationMethodsPolicy',
          await graph.get('/policies/authenticationMethodsPolicy', { version }),
          version === 'beta',
        );
        for (const id of ['x509Certificate', 'fido2', 'microsoftAuthenticator']) {
          check(
            id,
            'authenticationMethodConfiguration',
            await graph.get(`/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/${id}`, {
              version,
            }),
            version === 'beta',
          );
        }
        const pkis = await collection(
          '/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations?$expand=certificateAuthorities',
          'certificateBasedAuthPki',
          version,
        );
        for (const pki of pkis) {
          const root = `/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations/${String(pki.id)}`;
          check('pki', 'certificateBasedAuthPki', await graph.get(root, { version }), version === 'beta');
          const cas = await collection(`${root}/certificateAuthorities`, 'certificateAuthorityDetail', version);
          for (const ca of cas) {
            check(
              'ca',
              'certificateAuthorityDetail',
              await graph.get(`${root}/certificateAuthorities/${String(ca.id)}`, { version }),
              version === 'beta',
            );
          }
        }
        await collection(
          `/organization/${t.id}/certificateBasedAuthConfiguration`,
          'certificateBasedAuthConfiguration',
          version,
        );
        await collection('/identity/conditionalAccess/policies', 'conditionalAccessPolicy', version);
        const strengths = await collection(
          '/identity/conditionalAccess/authenticationStrength/policies',
          'authenticationStrengthPolicy',
          version,
        );
        for (const s of strengths) {
          await collection(
            `/policies/authenticationStrengthPolicies/${String(s.id)}/combinationConfigurations`,
            'authenticationCombinationConfiguration',
            version,
          );
          check(
            'usage',
            'authenticationStrengthUsage',
            await graph.get(`/identity/conditionalAccess/authenticationStrength/policies/${String(s.id)}/usage`, {
              version,
            }),
            version === 'beta',
          );
        }
        await collection(
          '/identity/conditionalAccess/authenticationContextClassReferences',
          'authenticationContextClassReference',
          version,
        );
        const sps = await collection('/servicePrincipals', 'servicePrincipal', version);
        for (const sp of sps) {
          await collection(
            `/servicePrincipals/${String(sp.id)}/oauth2PermissionGrants`,
            'oAuth2PermissionGrant',
            version,
          );
          await collection(`/servicePrincipals/${String(sp.id)}/appRoleAssignedTo`, 'appRoleAssignment', version);
          await collection(`/servicePrincipals/${String(sp.id)}/appRoleAssignments`, 'appRoleAssignment', version);
        }
        await collection('/oauth2PermissionGrants', 'oAuth2PermissionGrant', version);
        check(
          'securityDefaults',
          'identitySecurityDefaultsEnforcementPolicy',
          await graph.get('/policies/identitySecurityDefaultsEnforcementPolicy', { version }),
          version === 'beta',
        );
      }
      graph.close();
      expect(violations).toEqual([]);
    },
  );

  it('the write bodies the app sends are schema-valid and accepted by the emulator', async () => {
    const graph = serviceFor('camille.admin@clinique-demo.fr');
    const demo = emu.graph.tenant('clinique-demo');
    const group = demo.groups[0]!;
    const user = demo.users.find((u) => u.onPremisesSyncEnabled !== true && u.id.startsWith('00000002-0001'))!;
    const bodies: { type: string; method: 'PATCH' | 'POST'; path: string; body: Record<string, unknown> }[] = [
      {
        type: 'user',
        method: 'PATCH',
        path: `/users/${user.id}`,
        body: { authorizationInfo: { certificateUserIds: ['X509:<PN>8.99700499999@carte-cps.fr'] } },
      },
      {
        type: 'authenticationMethodConfiguration',
        method: 'PATCH',
        path: '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/x509Certificate',
        body: {
          '@odata.type': '#microsoft.graph.x509CertificateAuthenticationMethodConfiguration',
          state: 'enabled',
          includeTargets: [{ targetType: 'group', id: group.id, isRegistrationRequired: false }],
          certificateUserBindings: [
            {
              x509CertificateField: 'PrincipalName',
              userProperty: 'certificateUserIds',
              priority: 1,
              trustAffinityLevel: 'low',
            },
            {
              x509CertificateField: 'SubjectKeyIdentifier',
              userProperty: 'certificateUserIds',
              priority: 2,
              trustAffinityLevel: 'high',
            },
          ],
          authenticationModeConfiguration: {
            x509CertificateAuthenticationDefaultMode: 'x509CertificateSingleFactor',
            x509CertificateDefaultRequiredAffinityLevel: 'low',
            rules: [
              {
                x509CertificateRuleType: 'issuerSubject',
                identifier: 'CN=TEST AC IGC-SANTE STANDARD PERSONNES',
                x509CertificateAuthenticationMode: 'x509CertificateMultiFactor',
                x509CertificateRequiredAffinityLevel: 'low',
              },
            ],
          },
          issuerHintsConfiguration: { state: 'disabled' },
          crlValidationConfiguration: { state: 'enabled', exemptedCertificateAuthoritiesSubjectKeyIdentifiers: [] },
        },
      },
      {
        type: 'identitySecurityDefaultsEnforcementPolicy',
        method: 'PATCH',
        path: '/policies/identitySecurityDefaultsEnforcementPolicy',
        body: { isEnabled: false },
      },
      {
        type: 'conditionalAccessPolicy',
        method: 'POST',
        path: '/identity/conditionalAccess/policies',
        body: {
          displayName: 'AC02-ProSantéConnect-Session4hAvecMFA-Global-ToutePlateforme-PourANS',
          state: 'enabledForReportingButNotEnforced',
          conditions: {
            clientAppTypes: ['all'],
            applications: { includeApplications: ['99383c77-0bb9-41f0-96e1-b72ad6eca607'] },
            users: { includeGroups: [group.id], excludeUsers: [] },
          },
          grantControls: { operator: 'OR', authenticationStrength: { id: '00000000-0000-0000-0000-000000000004' } },
          sessionControls: {
            signInFrequency: {
              value: 4,
              type: 'hours',
              authenticationType: 'primaryAndSecondaryAuthentication',
              frequencyInterval: 'timeBased',
              isEnabled: true,
            },
          },
        },
      },
    ];
    for (const b of bodies) {
      expect({ path: b.path, violations: checkAgainstSchema(schema, b.type, b.body) }).toEqual({
        path: b.path,
        violations: [],
      });
      await (b.method === 'PATCH'
        ? graph.patch(b.path, b.body, { scopes: writeScopes })
        : graph.post(b.path, b.body, { scopes: writeScopes }));
    }
    const x509 = demo.authenticationMethodConfigurations.find((c) => c.id === 'X509Certificate')!;
    expect(x509.certificateUserBindings).toEqual(bodies[1]!.body.certificateUserBindings);
    expect(demo.conditionalAccessPolicies.map((p) => p.state)).toEqual(['enabledForReportingButNotEnforced']);
    graph.close();
  });

  it.each([
    [
      'updateAllowedCombinations',
      'authenticationStrengthPolicy',
      { allowedCombinations: ['fido2', 'x509CertificateMultiFactor'] },
      [],
    ],
    [
      'updateAllowedCombinations',
      'authenticationStrengthPolicy',
      { allowedCombinations: ['fido2', 'smartCard'] },
      ["$.allowedCombinations[1]: 'smartCard' is not a member of microsoft.graph.authenticationMethodModes"],
    ],
    ['upload', 'certificateBasedAuthPki', { uploadUrl: 'https://x/p.p7b', sha256FileHash: 'ab' }, []],
    [
      'upload',
      'certificateBasedAuthPki',
      { uploadUrl: 'https://x/p.p7b', sha256FileHash: 'ab', displayName: 'x' },
      ['$.displayName: not a parameter of upload'],
    ],
  ])('checks %s bodies against the action parameters of the CSDL (%j)', (name, bindingType, body, expected) => {
    const found = checkActionBody(schema, { name, bindingType }, body).map((v) => `${v.path}: ${v.problem}`);
    expect(found).toEqual(expected);
  });
});
