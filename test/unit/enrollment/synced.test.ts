import { describe, expect, it } from 'vitest';
import {
  adAccountCommand,
  ldapFilterValue,
  onPremisesIdentityOf,
  planSyncedUserMapping,
  psQuote,
  setAdUserCommand,
  writePathFor,
} from '../../../shared/enrollment';
import type { OnPremisesIdentity } from '../../../shared/enrollment';
import { loadCpeCard } from './fixtures';

const { values } = await loadCpeCard();
const sam = (samAccountName: string): OnPremisesIdentity => ({
  distinguishedName: null,
  samAccountName,
  userPrincipalName: null,
});

describe('writePathFor', () => {
  it.each<[boolean | null | undefined, string]>([
    [true, 'entra-connect'],
    [false, 'graph-patch'],
    [null, 'graph-patch'],
    [undefined, 'graph-patch'],
  ])('onPremisesSyncEnabled=%s → %s', (flag, path) => {
    expect(writePathFor({ onPremisesSyncEnabled: flag })).toBe(path);
  });
});

describe('planSyncedUserMapping', () => {
  it('gives the exact altSecurityIdentities strings: the Entra values, root-first DN, reversed serial', () => {
    const plan = planSyncedUserMapping({
      identity: sam("h.o'brien"),
      values: [values.PrincipalName ?? '', values.SKI ?? '', values.IssuerAndSerialNumber ?? ''],
    });
    expect(plan.values.map((v) => [v.form, v.value, v.adStrength])).toEqual([
      ['PrincipalName', 'X509:<PN>30B0057881/CPET0002@carte-cps.fr', 'not-used-by-ad'],
      ['SKI', 'X509:<SKI>3F0F9C73269D3B91CB041B38E994B4D304C5A897', 'strong'],
      [
        'IssuerAndSerialNumber',
        'X509:<I>C=FR,O=ASIP-SANTE,OU=0002 187512751,OU=IGC-SANTE TEST,CN=TEST AC IGC-SANTE STANDARD PERSONNES<SR>d417b34febe81494d1be34934b87c26b',
        'strong',
      ],
    ]);
    expect(plan.powershell).toBe(
      "Set-ADUser -Identity 'h.o''brien' -Add @{altSecurityIdentities=@('X509:<PN>30B0057881/CPET0002@carte-cps.fr'," +
        "'X509:<SKI>3F0F9C73269D3B91CB041B38E994B4D304C5A897'," +
        "'X509:<I>C=FR,O=ASIP-SANTE,OU=0002 187512751,OU=IGC-SANTE TEST,CN=TEST AC IGC-SANTE STANDARD PERSONNES<SR>d417b34febe81494d1be34934b87c26b')}",
    );
    expect(plan.warnings).toEqual([]);
    expect(plan.writePath).toBe('entra-connect');
  });

  it.each<[string, string[], string[] | undefined, string[]]>([
    ['weak forms in AD', [values.Subject ?? ''], undefined, ['weak-in-ad']],
    ['more than five values once synced', [values.SKI ?? ''], ['a', 'b', 'c', 'd', 'e'], ['more-than-five-values']],
  ])('warns about %s', (_label, chosen, existing, warnings) => {
    expect(
      planSyncedUserMapping({
        identity: sam('x'),
        values: chosen,
        ...(existing ? { existingAdValues: existing } : {}),
      }).warnings,
    ).toEqual(warnings);
  });

  it.each<[string[], string]>([
    [['SKI'], 'Where($item,[alternativeSecurityId],InStr($item, "X509:<SKI>")>0)'],
    [
      ['PrincipalName', 'SKI'],
      'Where($item,[alternativeSecurityId],BitOr(InStr($item, "X509:<PN>"),InStr($item, "X509:<SKI>"))>0)',
    ],
  ])('filters the outbound sync to the bound forms %j', (boundForms, fragment) => {
    const plan = planSyncedUserMapping({
      identity: sam('x'),
      values: [values.SKI ?? ''],
      boundForms: boundForms as ('SKI' | 'PrincipalName')[],
    });
    expect(plan.entraConnect.outboundExpression).toContain(fragment);
  });
});

describe('psQuote', () => {
  it.each<[string, string]>([
    ['plain', "'plain'"],
    ["o'brien", "'o''brien'"],
    // PowerShell ends a single-quoted string on typographic quotes too: each is doubled like '.
    ['o\u2019brien', "'o\u2019\u2019brien'"],
    ['\u2018a\u201Ab\u201B', "'\u2018\u2018a\u201A\u201Ab\u201B\u201B'"],
    ['$env:USERNAME `n "x"', '\'$env:USERNAME `n "x"\''],
    ['', "''"],
  ])('quotes %j as %s', (text, quoted) => {
    expect(psQuote(text)).toBe(quoted);
  });
});

describe('ldapFilterValue', () => {
  it.each<[string, string]>([
    ['jean.dupont@clinique.local', 'jean.dupont@clinique.local'],
    ['a*b(c)d\\e', 'a\\2ab\\28c\\29d\\5ce'],
    ['nul\u0000', 'nul\\00'],
  ])('escapes %j as %s', (text, escaped) => {
    expect(ldapFilterValue(text)).toBe(escaped);
  });
});

describe('adAccountCommand', () => {
  const dn = "CN=O'Brien\\, Hélène,OU=Soignants,DC=clinique,DC=local";
  it.each<[string, OnPremisesIdentity, string, string]>([
    [
      'the distinguished name first (unambiguous in a forest)',
      { distinguishedName: dn, samAccountName: 'hobrien', userPrincipalName: 'h@clinique.local' },
      'distinguished-name',
      "Set-ADUser -Identity 'CN=O''Brien\\, Hélène,OU=Soignants,DC=clinique,DC=local'",
    ],
    [
      'the sAMAccountName without a DN',
      { distinguishedName: null, samAccountName: "h.o'brien", userPrincipalName: 'h@clinique.local' },
      'sam-account-name',
      "Set-ADUser -Identity 'h.o''brien'",
    ],
    [
      'a UPN only through an LDAP filter (never -Identity)',
      { distinguishedName: null, samAccountName: null, userPrincipalName: "o'b(1)@clinique.local" },
      'user-principal-name',
      "Get-ADUser -LDAPFilter '(userPrincipalName=o''b\\281\\29@clinique.local)' | Set-ADUser",
    ],
    [
      'nothing as a placeholder PowerShell refuses to run',
      { distinguishedName: null, samAccountName: null, userPrincipalName: null },
      'unknown',
      'Set-ADUser -Identity <sAMAccountName>',
    ],
  ])('selects by %s', (_label, identity, selector, command) => {
    expect(adAccountCommand(identity)).toEqual({ selector, command });
  });

  it('reads the on-premises names Graph returns, the cloud UPN standing in for a missing on-premises one', () => {
    expect(
      onPremisesIdentityOf({
        id: 'u1',
        userPrincipalName: 'h@clinique.fr',
        onPremisesSamAccountName: 'hobrien',
        onPremisesDistinguishedName: '',
        onPremisesUserPrincipalName: null,
      }),
    ).toEqual({ distinguishedName: null, samAccountName: 'hobrien', userPrincipalName: 'h@clinique.fr' });
  });
});

describe('setAdUserCommand', () => {
  const ski = values.SKI ?? '';
  const pn = values.PrincipalName ?? '';
  const old = 'X509:<SKI>00112233445566778899AABBCCDDEEFF00112233';
  it.each<[string, string[], string[], string | null]>([
    ['an enrollment', [ski], [], `Set-ADUser -Identity 'x' -Add @{altSecurityIdentities=@('${ski}')}`],
    ['a removal', [], [old], `Set-ADUser -Identity 'x' -Remove @{altSecurityIdentities=@('${old}')}`],
    [
      'a renewal (Remove, then Add)',
      [pn, ski],
      [old],
      `Set-ADUser -Identity 'x' -Remove @{altSecurityIdentities=@('${old}')} -Add @{altSecurityIdentities=@('${pn}','${ski}')}`,
    ],
    ['nothing', [], [], null],
  ])('writes %s', (_label, add, remove, command) => {
    expect(setAdUserCommand(sam('x'), { add, remove })).toBe(command);
  });

  it('takes the previous card values off on a confirmed renewal and counts the sync limit without them', () => {
    const old2 = 'X509:<SKI>FFEEDDCCBBAA99887766554433221100FFEEDDCC';
    const plan = planSyncedUserMapping({
      identity: sam('x'),
      values: [ski],
      removeValues: [old, ski],
      existingAdValues: ['a', 'b', 'c', 'd', old],
    });
    // A value both added and removed is only added; the old card's SKI goes.
    expect(plan.removeValues).toEqual([old]);
    expect(plan.powershell).toBe(
      `Set-ADUser -Identity 'x' -Remove @{altSecurityIdentities=@('${old}')} -Add @{altSecurityIdentities=@('${ski}')}`,
    );
    expect(plan.warnings).toEqual([]);
    expect(
      planSyncedUserMapping({ identity: sam('x'), values: [ski], existingAdValues: ['a', 'b', 'c', 'd', old2] })
        .warnings,
    ).toEqual(['more-than-five-values']);
  });
});
