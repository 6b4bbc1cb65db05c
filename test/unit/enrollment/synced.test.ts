import { describe, expect, it } from 'vitest';
import { planSyncedUserMapping, writePathFor } from '../../../shared/enrollment';
import { loadCpeCard } from './fixtures';

const { values } = await loadCpeCard();

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
      samAccountNameOrUpn: "h.o'brien",
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
        samAccountNameOrUpn: 'x',
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
      samAccountNameOrUpn: 'x',
      values: [values.SKI ?? ''],
      boundForms: boundForms as ('SKI' | 'PrincipalName')[],
    });
    expect(plan.entraConnect.outboundExpression).toContain(fragment);
  });
});
