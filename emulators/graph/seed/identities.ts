/**
 * Identities of the seeded tenants, shared by the authority emulator (who can sign in) and the Graph emulator
 * (what the directory holds). Fixed GUIDs keep snapshots and tests stable.
 */

/** Entra role template ids used by the seeds (public, stable values). */
export const roleTemplateIds = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  globalReader: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  privilegedAuthenticationAdministrator: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
  authenticationPolicyAdministrator: '0526716b-113d-4c15-b2c8-68e3c22b9f80',
  conditionalAccessAdministrator: 'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9',
  securityReader: '5d6b6bb7-de71-4623-b4af-96380a352509',
  cloudApplicationAdministrator: '158c047a-c907-4556-b7ef-446551a6b5f7',
  authenticationAdministrator: 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
  securityAdministrator: '194ae4cb-b126-40b2-bd5b-6091b380977d',
  groupsAdministrator: 'fdd7a751-b60b-444a-984c-02652fe8fa1c',
} as const;

/** A person who can sign in at the authority. */
export type SeedAccount = {
  readonly oid: string;
  readonly userPrincipalName: string;
  readonly displayName: string;
  readonly givenName: string;
  readonly surname: string;
  /** Role template ids (`wids` claim). */
  readonly roles: readonly string[];
};

/** A seeded tenant's identity. */
export type SeedTenantIdentity = {
  readonly key: 'vide' | 'clinique-demo' | 'conforme';
  readonly id: string;
  readonly domain: string;
  readonly displayName: string;
  readonly accounts: readonly SeedAccount[];
};

const admin = (oid: string, domain: string, local: string, givenName: string, surname: string, roles: string[]) => ({
  oid,
  userPrincipalName: `${local}@${domain}`,
  displayName: `${givenName} ${surname}`,
  givenName,
  surname,
  roles,
});

const r = roleTemplateIds;

/** Object ids of the `conforme` tenant's two break-glass accounts. */
export const breakGlassAccountIds = [
  '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b0391',
  '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b0392',
] as const;

/** The three seeded tenants: fresh, half configured (demo) and compliant. */
export const seedTenantIdentities: readonly SeedTenantIdentity[] = [
  {
    key: 'vide',
    id: '0b6f7a0e-1c1d-4c55-9d4b-2a7f3f1e0001',
    domain: 'vide.onmicrosoft.com',
    displayName: 'Tenant vide',
    accounts: [
      admin('9a0c4a52-5a6e-4b59-8a0e-6f1d2c3b0101', 'vide.onmicrosoft.com', 'admin', 'Alice', 'Admin', [
        r.globalAdministrator,
      ]),
    ],
  },
  {
    key: 'clinique-demo',
    id: '5c3e9a1d-8f2b-4e7a-9c6d-1b2a3c4d0002',
    domain: 'clinique-demo.fr',
    displayName: 'Clinique Démo Saint-Martin',
    accounts: [
      admin('1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f0201', 'clinique-demo.fr', 'camille.admin', 'Camille', 'Lefèvre', [
        r.globalAdministrator,
      ]),
      admin('1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f0202', 'clinique-demo.fr', 'lecteur', 'Hugo', 'Bernard', [r.globalReader]),
      admin('1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f0203', 'clinique-demo.fr', 'auth.admin', 'Inès', 'Moreau', [
        r.privilegedAuthenticationAdministrator,
        r.authenticationPolicyAdministrator,
        r.conditionalAccessAdministrator,
      ]),
    ],
  },
  {
    key: 'conforme',
    id: '7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e0003',
    domain: 'chu-conforme.fr',
    displayName: 'CHU Conforme',
    accounts: [
      admin('2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b0301', 'chu-conforme.fr', 'admin', 'Louise', 'Garnier', [
        r.globalAdministrator,
      ]),
      // Two cloud-only emergency-access accounts (checklist #4): members of GG-BreakGlass, excluded from every CA
      // policy and from CBA. They can sign in at the authority like any seeded admin.
      admin(breakGlassAccountIds[0], 'chu-conforme.fr', 'urgence.01', 'Accès', 'Urgence 01', [r.globalAdministrator]),
      admin(breakGlassAccountIds[1], 'chu-conforme.fr', 'urgence.02', 'Accès', 'Urgence 02', [r.globalAdministrator]),
    ],
  },
];
