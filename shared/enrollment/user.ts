/**
 * The slice of a Graph `user` the enrollment logic reads, validated with zod, and the card facts it matches on.
 */
import { z } from 'zod';
import { IDENTIFIER_TYPES, type CertificateInfo, type IdentifierType } from '../certificates';

/** Properties every enrollment query selects (authorizationInfo must be named in `$select` to come back). */
export const USER_SELECT = [
  'id',
  'displayName',
  'givenName',
  'surname',
  'userPrincipalName',
  'mail',
  'employeeId',
  'accountEnabled',
  'onPremisesSyncEnabled',
  'onPremisesUserPrincipalName',
  // How an AD administrator names a synced account (`Set-ADUser -Identity` takes a DN or sAMAccountName, not a UPN).
  'onPremisesSamAccountName',
  'onPremisesDistinguishedName',
  'authorizationInfo',
] as const;

/** A Graph user as returned with `USER_SELECT` (plus the configured identifier attribute, kept by passthrough). */
export const directoryUserSchema = z.looseObject({
  id: z.string().min(1),
  displayName: z.string().nullish(),
  givenName: z.string().nullish(),
  surname: z.string().nullish(),
  userPrincipalName: z.string().nullish(),
  mail: z.string().nullish(),
  employeeId: z.string().nullish(),
  accountEnabled: z.boolean().nullish(),
  onPremisesSyncEnabled: z.boolean().nullish(),
  onPremisesUserPrincipalName: z.string().nullish(),
  onPremisesSamAccountName: z.string().nullish(),
  onPremisesDistinguishedName: z.string().nullish(),
  authorizationInfo: z
    .object({ certificateUserIds: z.array(z.string()).nullish() })
    .loose()
    .nullish(),
});

/** A validated directory user. */
export type DirectoryUser = z.infer<typeof directoryUserSchema>;

/** The on-premises names of a synced user that Active Directory commands can select the account by. */
export type OnPremisesIdentity = {
  distinguishedName: string | null;
  samAccountName: string | null;
  userPrincipalName: string | null;
};

/** The on-premises names Graph copied from Active Directory (the cloud UPN stands in when the on-premises one is absent). */
export function onPremisesIdentityOf(user: DirectoryUser): OnPremisesIdentity {
  const text = (v: string | null | undefined): string | null => (v === undefined || v === null || v === '' ? null : v);
  return {
    distinguishedName: text(user.onPremisesDistinguishedName),
    samAccountName: text(user.onPremisesSamAccountName),
    userPrincipalName: text(user.onPremisesUserPrincipalName) ?? text(user.userPrincipalName),
  };
}

/** `certificateUserIds` of a user, empty when absent. */
export function certificateUserIdsOf(user: DirectoryUser): string[] {
  return [...(user.authorizationInfo?.certificateUserIds ?? [])];
}

/** Read a `/`-separated property path (e.g. `onPremisesExtensionAttributes/extensionAttribute1`) as a string. */
export function readUserAttribute(user: DirectoryUser, path: string): string | null {
  let node: unknown = user;
  for (const part of path.split('/')) {
    if (typeof node !== 'object' || node === null) {
      return null;
    }
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : null;
}

/** What the desk knows about the practitioner from the card. */
export type CardFacts = {
  givenName: string | null;
  surname: string | null;
  /** National identifier without its type digit (e.g. RPPS `99700434378`). */
  identifier: { type: IdentifierType; value: string } | null;
  /** SAN UPN of the authentication certificate (`8.99700434378@carte-cps.fr`). */
  upn: string | null;
};

/** Card facts from an inspected authentication certificate. */
export function cardFactsFromCertificate(info: CertificateInfo): CardFacts {
  return {
    givenName: info.holder.givenName,
    surname: info.holder.surname,
    identifier: info.identifier,
    upn: info.upns[0] ?? null,
  };
}

/**
 * Identifier spellings a directory may hold: the bare national id, and with its type digit as in the CN
 * (`899700434378`), since establishments copy either.
 */
export function identifierSpellings(identifier: CardFacts['identifier']): string[] {
  if (identifier === null || identifier.value === '') {
    return [];
  }
  const digit = Object.entries(IDENTIFIER_TYPES).find(([, type]) => type === identifier.type)?.[0];
  const bare = identifier.value;
  return digit === undefined ? [bare] : [bare, `${digit}${bare}`];
}
