/**
 * The three seeded tenants: `vide` (fresh, security defaults on), `clinique-demo` (half configured, used by demo
 * mode) and `conforme` (everything PSC needs).
 */
import type { Entity, TenantState } from '../model';
import type { SeedTenantIdentity } from './identities';
import { breakGlassAccountIds, seedTenantIdentities } from './identities';
import { certificateAuthorityDetail, seededIgcSanteCas } from './pki';
import {
  ac02Policy,
  authenticationMethodsPolicy,
  builtInStrengths,
  fa01Strength,
  graphServicePrincipal,
  otherMethodConfigurations,
  pscServicePrincipal,
  x509Configuration,
} from './policies';

const frenchPeople: readonly (readonly [string, string])[] = [
  ['Élodie', 'Martin'],
  ['Julien', 'Bernard'],
  ['Chloé', 'Dubois'],
  ['Mathieu', 'Thomas'],
  ['Léa', 'Robert'],
  ['Nicolas', 'Richard'],
  ['Manon', 'Petit'],
  ['Antoine', 'Durand'],
  ['Camille', 'Leroy'],
  ['Hélène', 'Moreau'],
  ['François', 'Simon'],
  ['Amélie', 'Laurent'],
  ['Sébastien', 'Lefèbvre'],
  ['Clémence', 'Michel'],
  ['Jérôme', 'Garcia'],
  ['Noémie', 'David'],
  ['Benoît', 'Bertrand'],
  ['Inès', 'Roux'],
  ['Grégoire', 'Vincent'],
  ['Maëlle', 'Fournier'],
  ['Thibault', 'Morel'],
  ['Zoé', 'Girard'],
  ['Rémi', 'André'],
  ['Océane', 'Lefèvre'],
  ['Cédric', 'Mercier'],
  ['Anaïs', 'Dupont'],
  ['Loïc', 'Lambert'],
  ['Solène', 'Bonnet'],
  ['Hervé', 'François'],
  ['Gaëlle', 'Martinez'],
  ['Aurélien', 'Legrand'],
  ['Pénélope', 'Garnier'],
  ['Stéphane', 'Faure'],
  ['Lætitia', 'Rousseau'],
  ['Raphaël', 'Blanc'],
  ['Émilie', 'Guérin'],
  ['Joël', 'Muller'],
  ['Margaux', 'Henry'],
  ['Yannick', 'Roussel'],
  ['Bérénice', 'Nicolas'],
];

const ascii = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/æ/g, 'ae')
    .toLowerCase();

const guid = (tenantNo: number, kind: number, n: number): string =>
  `${String(tenantNo).padStart(8, '0')}-${String(kind).padStart(4, '0')}-4000-8000-${String(n).padStart(12, '0')}`;

function user(
  identity: SeedTenantIdentity,
  id: string,
  givenName: string,
  surname: string,
  extra: Partial<Entity> = {},
): Entity {
  const upn = `${ascii(givenName)}.${ascii(surname)}@${identity.domain}`;
  return {
    id,
    displayName: `${givenName} ${surname}`,
    givenName,
    surname,
    userPrincipalName: upn,
    mail: upn,
    accountEnabled: true,
    userType: 'Member',
    onPremisesSyncEnabled: null,
    onPremisesUserPrincipalName: null,
    onPremisesSamAccountName: null,
    onPremisesDistinguishedName: null,
    authorizationInfo: { certificateUserIds: [] },
    ...extra,
  };
}

function base(identity: SeedTenantIdentity, tenantNo: number, p1: boolean, securityDefaults: boolean): TenantState {
  const admins = identity.accounts.map((a) =>
    user(identity, a.oid, a.givenName, a.surname, {
      userPrincipalName: a.userPrincipalName,
      mail: a.userPrincipalName,
    }),
  );
  return {
    id: identity.id,
    domain: identity.domain,
    key: identity.key,
    organization: {
      id: identity.id,
      displayName: identity.displayName,
      tenantType: 'AAD',
      countryLetterCode: 'FR',
      preferredLanguage: 'fr',
      createdDateTime: '2024-05-02T08:00:00Z',
      onPremisesSyncEnabled: null,
      verifiedDomains: [
        {
          capabilities: 'Email, OfficeCommunicationsOnlineService',
          isDefault: true,
          isInitial: true,
          name: identity.domain,
          type: 'Managed',
        },
      ],
    },
    subscribedSkus: p1
      ? [
          {
            id: `${identity.id}_078d2b04-f1bd-4111-bbd4-b4b1b354cef4`,
            accountId: identity.id,
            accountName: identity.displayName,
            appliesTo: 'User',
            capabilityStatus: 'Enabled',
            consumedUnits: 42,
            prepaidUnits: { enabled: 100, lockedOut: 0, suspended: 0, warning: 0 },
            servicePlans: [
              {
                appliesTo: 'User',
                provisioningStatus: 'Success',
                servicePlanId: '41781fb2-bc02-4b7c-bd55-b576c07bb09d',
                servicePlanName: 'AAD_PREMIUM',
              },
            ],
            skuId: '078d2b04-f1bd-4111-bbd4-b4b1b354cef4',
            skuPartNumber: 'AAD_PREMIUM',
            subscriptionIds: [guid(tenantNo, 9, 1)],
          },
        ]
      : [],
    users: admins,
    syntheticUserCount: 0,
    groups: [],
    members: {},
    authenticationMethodsPolicy: authenticationMethodsPolicy(!securityDefaults),
    authenticationMethodConfigurations: [
      x509Configuration({ state: 'disabled', bindings: 'default' }),
      ...otherMethodConfigurations(false),
    ],
    pkiConfigurations: [],
    legacyCertificateBasedAuthConfigurations: [],
    conditionalAccessPolicies: [],
    authenticationStrengthPolicies: builtInStrengths(),
    authenticationContextClassReferences: [],
    servicePrincipals: [graphServicePrincipal(guid(tenantNo, 5, 1))],
    oauth2PermissionGrants: [],
    appRoleAssignments: [],
    securityDefaults: {
      id: '00000000-0000-0000-0000-000000000005',
      displayName: 'Security Defaults',
      description: 'Security defaults is a set of basic identity security mechanisms recommended by Microsoft.',
      isEnabled: securityDefaults,
    },
    limits: { certificateUserIds: 10, certificateUserIdLength: 1024 },
  };
}

function group(tenantNo: number, n: number, displayName: string): Entity {
  return {
    id: guid(tenantNo, 2, n),
    displayName,
    description: displayName,
    mailEnabled: false,
    mailNickname: ascii(displayName).replace(/[^a-z0-9]/g, ''),
    securityEnabled: true,
    groupTypes: [],
    createdDateTime: '2025-09-01T08:00:00Z',
    onPremisesSyncEnabled: null,
  };
}

function staff(
  identity: SeedTenantIdentity,
  tenantNo: number,
  count: number,
  withIds: (i: number) => boolean,
): Entity[] {
  return frenchPeople.slice(0, count).map(([g, s], i) => {
    const synced = i % 7 === 3;
    const ids = withIds(i) ? [`X509:<PN>8.99700${String(434378 + i)}@carte-cps.fr`] : [];
    return user(identity, guid(tenantNo, 1, i + 1), g, s, {
      onPremisesSyncEnabled: synced ? true : null,
      onPremisesUserPrincipalName: synced ? `${ascii(g)}.${ascii(s)}@clinique.local` : null,
      // What Entra Connect syncs alongside: the AD account name (≤ 20 characters) and its distinguished name.
      onPremisesSamAccountName: synced ? `${ascii(g)}.${ascii(s)}`.slice(0, 20) : null,
      onPremisesDistinguishedName: synced ? `CN=${g} ${s},OU=Praticiens,DC=clinique,DC=local` : null,
      authorizationInfo: { certificateUserIds: ids },
    });
  });
}

/** Builds a fresh copy of the seeded tenants. */
export function seedTenants(): TenantState[] {
  const [videId, demoId, okId] = seedTenantIdentities;
  if (!videId || !demoId || !okId) {
    throw new Error('seed identities missing');
  }
  const vide = base(videId, 1, false, true);

  const demo = base(demoId, 2, true, false);
  demo.users.push(...staff(demoId, 2, 40, (i) => i % 3 === 0));
  // The holder of demo mode's virtual CPx card (emulators/card DEFAULT_PRACTITIONER), RPPS in employeeId, not yet
  // mapped: the desk demo finds her by identifier and writes her first certificateUserIds.
  demo.users.push(
    user(demoId, guid(2, 1, 900), 'Hélène', 'Léger-Dupré', { employeeId: '10101234567', jobTitle: 'Médecin' }),
  );
  const cbaGroup = group(2, 1, 'GG-PSC-Praticiens');
  demo.groups.push(cbaGroup, group(2, 2, 'GG-Urgences'));
  demo.members[cbaGroup.id] = demo.users.slice(3, 15).map((u) => u.id);
  demo.members[guid(2, 2, 2)] = demo.users.slice(10, 20).map((u) => u.id);
  demo.authenticationMethodConfigurations[0] = x509Configuration({
    state: 'enabled',
    groupId: cbaGroup.id,
    bindings: 'default',
  });
  demo.servicePrincipals.push(pscServicePrincipal(guid(2, 5, 2), false));
  demo.oauth2PermissionGrants.push({
    id: 'psc-grant-demo',
    clientId: guid(2, 5, 2),
    consentType: 'AllPrincipals',
    principalId: null,
    resourceId: guid(2, 5, 1),
    scope: 'openid profile email',
  });

  const ok = base(okId, 3, true, false);
  const staffOk = staff(okId, 3, 12, () => true).map((u) => ({
    ...u,
    onPremisesSyncEnabled: null,
    onPremisesUserPrincipalName: null,
  }));
  ok.users.push(...staffOk);
  const psGroup = group(3, 1, 'GG-PSC-Praticiens');
  const bgGroup = group(3, 2, 'GG-BreakGlass');
  ok.groups.push(psGroup, bgGroup);
  ok.members[psGroup.id] = staffOk.map((u) => u.id);
  ok.members[bgGroup.id] = [...breakGlassAccountIds];
  // Everything the checklist reads from Graph holds: the store has the IGC-Santé CAs that issue cards (production
  // and TEST) with their roots and HTTP CRLs, each issuing CA is multi-factor, CRL validation is required.
  const cas = seededIgcSanteCas();
  ok.authenticationMethodsPolicy = authenticationMethodsPolicy(true);
  ok.authenticationMethodConfigurations = [
    x509Configuration({
      state: 'enabled',
      groupId: psGroup.id,
      excludeGroupId: bgGroup.id,
      bindings: 'psc',
      multiFactorIssuers: cas.filter((c) => c.issuesCards).map((c) => c.subject),
      crlValidation: 'enabled',
    }),
    ...otherMethodConfigurations(true),
  ];
  ok.pkiConfigurations.push({
    id: guid(3, 7, 1),
    displayName: 'IGC-Santé',
    lastModifiedDateTime: '2026-02-01T09:00:00Z',
    status: 'succeeded',
    statusDetails: '',
    certificateAuthorities: cas.map((ca, i) => certificateAuthorityDetail(ca, guid(3, 7, 100 + i))),
  });
  const strength = fa01Strength(guid(3, 6, 1));
  ok.authenticationStrengthPolicies.push(strength);
  const pscSp = pscServicePrincipal(guid(3, 5, 2), true);
  ok.servicePrincipals.push(pscSp);
  ok.conditionalAccessPolicies.push(ac02Policy(guid(3, 8, 1), strength, psGroup.id, [...breakGlassAccountIds]));
  ok.oauth2PermissionGrants.push({
    id: 'psc-grant-ok',
    clientId: pscSp.id,
    consentType: 'AllPrincipals',
    principalId: null,
    resourceId: guid(3, 5, 1),
    scope: 'openid profile email',
  });
  ok.appRoleAssignments.push({
    id: 'psc-assignment-ok',
    appRoleId: '00000000-0000-0000-0000-000000000000',
    createdDateTime: '2026-02-01T10:00:00Z',
    principalDisplayName: 'GG-PSC-Praticiens',
    principalId: psGroup.id,
    principalType: 'Group',
    resourceDisplayName: 'PSC_BAS',
    resourceId: pscSp.id,
  });
  return [vide, demo, ok];
}
