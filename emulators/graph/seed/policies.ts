/**
 * Seed builders for policies: authentication methods policy and configurations, strengths, CA policies, PSC
 * service principal. Values follow Graph v1.0 shapes (checked by the schema conformance tests).
 */
import type { Entity, Json } from '../model';

/** PSC sandbox app id (ANS multi-tenant app, `PSC_BAS`). */
export const pscAppId = '99383c77-0bb9-41f0-96e1-b72ad6eca607';
/** Microsoft Graph's app id. */
export const graphAppId = '00000003-0000-0000-c000-000000000000';
/** Fixed id of the legacy certificate-based auth configuration. */
export const legacyCbaConfigurationId = '29728ade-6ae4-4ee9-9103-412912537da5';

/** The authentication methods policy root (configurations are served separately). */
export function authenticationMethodsPolicy(migrated: boolean): Entity {
  return {
    id: 'authenticationMethodsPolicy',
    displayName: 'Authentication Methods Policy',
    description: 'The tenant-wide policy that controls which authentication methods are allowed in the tenant.',
    lastModifiedDateTime: '2026-01-10T09:00:00Z',
    policyVersion: '1.5',
    reconfirmationInDays: 0,
    policyMigrationState: migrated ? 'migrationComplete' : 'preMigration',
    registrationEnforcement: {
      authenticationMethodsRegistrationCampaign: {
        snoozeDurationInDays: 1,
        state: 'default',
        excludeTargets: [],
        includeTargets: [
          { id: 'all_users', targetType: 'user', targetedAuthenticationMethod: 'microsoftAuthenticator' },
        ],
      },
    },
  };
}

/** x509 certificate method configuration. */
export function x509Configuration(input: {
  state: 'enabled' | 'disabled';
  groupId?: string;
  /** Group kept out of CBA (break-glass accounts). */
  excludeGroupId?: string;
  bindings: 'default' | 'psc';
  /** Issuing CAs (subjects) whose certificates count as multi-factor. */
  multiFactorIssuers?: readonly string[];
  crlValidation?: 'enabled' | 'disabled';
}): Entity {
  const bindings: Json[] =
    input.bindings === 'default'
      ? [
          {
            x509CertificateField: 'PrincipalName',
            userProperty: 'userPrincipalName',
            priority: 1,
            trustAffinityLevel: 'low',
          },
          {
            x509CertificateField: 'RFC822Name',
            userProperty: 'userPrincipalName',
            priority: 2,
            trustAffinityLevel: 'low',
          },
          {
            x509CertificateField: 'SubjectKeyIdentifier',
            userProperty: 'certificateUserIds',
            priority: 3,
            trustAffinityLevel: 'high',
          },
        ]
      : [
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
        ];
  const rules: Json[] = (input.multiFactorIssuers ?? []).map((identifier) => ({
    x509CertificateRuleType: 'issuerSubject',
    identifier,
    issuerSubjectIdentifier: null,
    policyOidIdentifier: null,
    x509CertificateAuthenticationMode: 'x509CertificateMultiFactor',
    x509CertificateRequiredAffinityLevel: 'low',
  }));
  return {
    '@odata.type': '#microsoft.graph.x509CertificateAuthenticationMethodConfiguration',
    id: 'X509Certificate',
    state: input.state,
    excludeTargets: input.excludeGroupId ? [{ targetType: 'group', id: input.excludeGroupId }] : [],
    includeTargets: input.groupId
      ? [{ targetType: 'group', id: input.groupId, isRegistrationRequired: false }]
      : [{ targetType: 'group', id: 'all_users', isRegistrationRequired: false }],
    certificateUserBindings: bindings,
    authenticationModeConfiguration: {
      x509CertificateAuthenticationDefaultMode: 'x509CertificateSingleFactor',
      x509CertificateDefaultRequiredAffinityLevel: 'low',
      rules,
    },
    issuerHintsConfiguration: { state: 'disabled' },
    crlValidationConfiguration: {
      state: input.crlValidation ?? 'disabled',
      exemptedCertificateAuthoritiesSubjectKeyIdentifiers: [],
    },
    certificateAuthorityScopes: [],
  };
}

/** FIDO2 and Microsoft Authenticator configurations. */
export function otherMethodConfigurations(enabled: boolean): Entity[] {
  const state = enabled ? 'enabled' : 'disabled';
  const allUsers: Json[] = [{ targetType: 'group', id: 'all_users', isRegistrationRequired: false }];
  return [
    {
      '@odata.type': '#microsoft.graph.fido2AuthenticationMethodConfiguration',
      id: 'Fido2',
      state,
      isSelfServiceRegistrationAllowed: true,
      isAttestationEnforced: true,
      excludeTargets: [],
      keyRestrictions: { isEnforced: false, enforcementType: 'block', aaGuids: [] },
      includeTargets: allUsers,
    },
    {
      '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration',
      id: 'MicrosoftAuthenticator',
      state,
      isSoftwareOathEnabled: false,
      excludeTargets: [],
      featureSettings: {
        displayAppInformationRequiredState: {
          state: 'default',
          includeTarget: { targetType: 'group', id: 'all_users' },
          excludeTarget: { targetType: 'group', id: '00000000-0000-0000-0000-000000000000' },
        },
      },
      includeTargets: allUsers,
    },
  ];
}

/** The PSC-required authentication strength `FA01-ProSantéConnect`. */
export function fa01Strength(id: string): Entity {
  return {
    id,
    createdDateTime: '2026-02-01T10:00:00Z',
    modifiedDateTime: '2026-02-01T10:00:00Z',
    displayName: 'FA01-ProSantéConnect',
    description: 'Moyens acceptés par Pro Santé Connect',
    policyType: 'custom',
    requirementsSatisfied: 'mfa',
    allowedCombinations: ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor'],
  };
}

/** Built-in strengths present in every tenant. */
export function builtInStrengths(): Entity[] {
  return [
    {
      id: '00000000-0000-0000-0000-000000000002',
      createdDateTime: '2021-12-01T08:00:00Z',
      modifiedDateTime: '2021-12-01T08:00:00Z',
      displayName: 'Multifactor authentication',
      description: 'Combinations of methods that satisfy strong authentication, such as a password + SMS',
      policyType: 'builtIn',
      requirementsSatisfied: 'mfa',
      allowedCombinations: [
        'windowsHelloForBusiness',
        'fido2',
        'x509CertificateMultiFactor',
        'password,microsoftAuthenticatorPush',
        'password,sms',
      ],
    },
    {
      id: '00000000-0000-0000-0000-000000000004',
      createdDateTime: '2021-12-01T08:00:00Z',
      modifiedDateTime: '2021-12-01T08:00:00Z',
      displayName: 'Phishing-resistant MFA',
      description:
        'Phishing-resistant, Passwordless methods for the strongest authentication, such as a FIDO2 security key',
      policyType: 'builtIn',
      requirementsSatisfied: 'mfa',
      allowedCombinations: ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor'],
    },
  ];
}

/** The AC02 CA policy targeting PSC with FA01 and a 4 h sign-in frequency. */
export function ac02Policy(id: string, strength: Entity, groupId: string, breakGlass: string[]): Entity {
  return {
    id,
    templateId: null,
    displayName: 'AC02-ProSantéConnect-Session4hAvecMFA-Global-ToutePlateforme-PourANS',
    createdDateTime: '2026-02-01T10:05:00Z',
    modifiedDateTime: '2026-02-01T10:05:00Z',
    state: 'enabled',
    conditions: {
      userRiskLevels: [],
      signInRiskLevels: [],
      clientAppTypes: ['all'],
      platforms: null,
      locations: null,
      applications: {
        includeApplications: [pscAppId],
        excludeApplications: [],
        includeUserActions: [],
        includeAuthenticationContextClassReferences: [],
      },
      users: {
        includeUsers: [],
        excludeUsers: breakGlass,
        includeGroups: [groupId],
        excludeGroups: [],
        includeRoles: [],
        excludeRoles: [],
      },
    },
    grantControls: {
      operator: 'OR',
      builtInControls: [],
      customAuthenticationFactors: [],
      termsOfUse: [],
      authenticationStrength: strength,
    },
    sessionControls: {
      applicationEnforcedRestrictions: null,
      cloudAppSecurity: null,
      persistentBrowser: null,
      signInFrequency: {
        value: 4,
        type: 'hours',
        authenticationType: 'primaryAndSecondaryAuthentication',
        frequencyInterval: 'timeBased',
        isEnabled: true,
      },
    },
  };
}

/** The PSC service principal as consent creates it. */
export function pscServicePrincipal(id: string, assignmentRequired: boolean): Entity {
  return {
    id,
    appId: pscAppId,
    displayName: 'PSC_BAS',
    appDisplayName: 'PSC_BAS',
    accountEnabled: true,
    appOwnerOrganizationId: 'a5c4e5f0-0d3e-4b9a-9c1e-8e6f7a8b9c0d',
    appRoleAssignmentRequired: assignmentRequired,
    signInAudience: 'AzureADMultipleOrgs',
    servicePrincipalType: 'Application',
    replyUrls: ['https://auth.bas.psc.esante.gouv.fr/auth/realms/esante-wallet/broker/entra/endpoint'],
    tags: ['WindowsAzureActiveDirectoryIntegratedApp'],
    verifiedPublisher: {
      displayName: 'AGENCE DU NUMERIQUE EN SANTE',
      verifiedPublisherId: '6178485',
      addedDateTime: '2024-01-15T00:00:00Z',
    },
    keyCredentials: [],
    passwordCredentials: [],
  };
}

/** Microsoft Graph's own service principal (resource of delegated grants). */
export function graphServicePrincipal(id: string): Entity {
  return {
    id,
    appId: graphAppId,
    displayName: 'Microsoft Graph',
    appDisplayName: 'Microsoft Graph',
    accountEnabled: true,
    appOwnerOrganizationId: 'f8cdef31-a31e-4b4a-93e4-5f571e91255a',
    appRoleAssignmentRequired: false,
    servicePrincipalType: 'Application',
    signInAudience: 'AzureADMultipleOrgs',
    replyUrls: [],
    tags: [],
    keyCredentials: [],
    passwordCredentials: [],
  };
}
