import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pscAppId as pscAppIdForTests } from '../../../emulators/graph/index';
import type { Emulators } from '../../helpers/emulators/index';
import { startEmulators } from '../../helpers/emulators/index';
import { graphErrorOf, rawGraph } from '../../helpers/emulators/raw-graph';

const graphServicePrincipalAppId = '00000003-0000-0000-c000-000000000000';
const videAdmin = 'admin@vide.onmicrosoft.com';
const okAdmin = 'admin@chu-conforme.fr';
const demoReader = 'lecteur@clinique-demo.fr';
const appWrite = ['Application.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All'];
const caWrite = ['Policy.ReadWrite.ConditionalAccess', 'Policy.Read.All'];

type Sp = { id: string; appId: string; appRoleAssignmentRequired: boolean };
type Grant = { id: string; clientId: string; consentType: string; principalId: string | null; scope: string };

describe('Graph emulator writes the checklist fixes need', () => {
  let emu: Emulators;

  beforeAll(async () => {
    emu = await startEmulators({ graph: { conditionalAccessPerSecond: 0 } });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('creates the PSC service principal and its tenant-wide grant once (#6, #9)', async () => {
    const call = rawGraph(emu, videAdmin, appWrite);
    const created = await call('POST', '/servicePrincipals', { appId: pscAppIdForTests });
    expect(created.status).toBe(201);
    const sp = created.body as Sp;
    expect(sp).toMatchObject({ appId: pscAppIdForTests, appRoleAssignmentRequired: false });
    expect((await call('GET', `/servicePrincipals(appId='${pscAppIdForTests}')`)).body).toMatchObject({ id: sp.id });

    const again = await call('POST', '/servicePrincipals', { appId: pscAppIdForTests });
    expect(again.status).toBe(409);
    expect(graphErrorOf(again).code).toBe('Request_MultipleObjectsWithSameKeyValue');
    const unknown = await call('POST', '/servicePrincipals', { appId: '11111111-2222-3333-4444-555555555555' });
    expect(graphErrorOf(unknown).message).toMatch(/does not reference a valid application object/);

    const graphSp = ((await call('GET', `/servicePrincipals(appId='${graphServicePrincipalAppId}')`)).body as Sp).id;
    const grantBody = {
      clientId: sp.id,
      consentType: 'AllPrincipals',
      resourceId: graphSp,
      scope: 'openid profile email',
    };
    const grant = await call('POST', '/oauth2PermissionGrants', grantBody);
    expect(grant.status).toBe(201);
    expect(grant.body).toMatchObject({ ...grantBody, principalId: null });
    const listed = (await call('GET', `/servicePrincipals/${sp.id}/oauth2PermissionGrants`)).body as { value: Grant[] };
    expect(listed.value.map((g) => g.id)).toEqual([(grant.body as Grant).id]);
    expect((await call('POST', '/oauth2PermissionGrants', grantBody)).status).toBe(409);
  });

  it('refuses those writes without the scope or without the role, in Graph 403 shape', async () => {
    const noScope = await rawGraph(
      emu,
      videAdmin,
      ['Application.Read.All'],
      'reader-app',
    )('POST', '/oauth2PermissionGrants', {
      clientId: 'x',
      consentType: 'AllPrincipals',
      resourceId: 'y',
    });
    expect(noScope.status).toBe(403);
    expect(graphErrorOf(noScope)).toMatchObject({ code: 'Authorization_RequestDenied' });
    const noRole = await rawGraph(emu, demoReader, appWrite)('POST', '/servicePrincipals', { appId: pscAppIdForTests });
    expect(noRole.status).toBe(403);
    expect(graphErrorOf(noRole).message).toBe('Insufficient privileges to complete the operation.');
  });

  it('lists the app role assignments granted to the PSC service principal, by appId and by id (#11)', async () => {
    const call = rawGraph(emu, okAdmin, ['Application.Read.All']);
    const byAppId = await call('GET', `/servicePrincipals(appId='${pscAppIdForTests}')/appRoleAssignments`);
    expect(byAppId.status).toBe(200);
    expect((byAppId.body as { value: unknown[] }).value).toEqual([]);
    const sp = (await call('GET', `/servicePrincipals(appId='${pscAppIdForTests}')`)).body as Sp;
    // An application permission granted to PSC (what check #11 must find).
    const t = emu.graph.tenant('conforme');
    t.appRoleAssignments.push({
      id: 'app-perm-1',
      appRoleId: 'df021288-bdef-4463-88db-98f22de89214',
      createdDateTime: '2026-03-01T10:00:00Z',
      principalDisplayName: 'PSC_BAS',
      principalId: sp.id,
      principalType: 'ServicePrincipal',
      resourceDisplayName: 'Microsoft Graph',
      resourceId: t.servicePrincipals[0]?.id ?? '',
    });
    try {
      const listed = (await call('GET', `/servicePrincipals/${sp.id}/appRoleAssignments`)).body as {
        value: { id: string }[];
      };
      expect(listed.value.map((a) => a.id)).toEqual(['app-perm-1']);
      expect((await call('GET', `/servicePrincipals/${sp.id}/appRoleAssignments/app-perm-1`)).body).toMatchObject({
        principalId: sp.id,
      });
      expect((await call('GET', `/servicePrincipals/${sp.id}/appRoleAssignments/nope`)).status).toBe(404);
    } finally {
      t.appRoleAssignments = t.appRoleAssignments.filter((a) => a.id !== 'app-perm-1');
    }
  });

  it('changes FA01 combinations only through updateAllowedCombinations, answering the previous set and the CA policies (#28)', async () => {
    const call = rawGraph(emu, okAdmin, caWrite);
    const t = emu.graph.tenant('conforme');
    const fa01 = t.authenticationStrengthPolicies.find((s) => s.displayName === 'FA01-ProSantéConnect')!;
    const ac02 = t.conditionalAccessPolicies[0]!;
    const path = `/policies/authenticationStrengthPolicies/${fa01.id}`;

    const config = await call('POST', `${path}/combinationConfigurations`, {
      '@odata.type': '#microsoft.graph.fido2CombinationConfiguration',
      appliesToCombinations: ['fido2'],
      allowedAAGUIDs: ['90a3ccdf-635c-4729-a248-9b709135078f'],
    });
    expect(config.status).toBe(201);
    const listed = (await call('GET', `${path}/combinationConfigurations`)).body as { value: { id: string }[] };
    expect(listed.value).toEqual([config.body]);

    const result = await call('POST', `${path}/updateAllowedCombinations`, {
      allowedCombinations: ['windowsHelloForBusiness', 'x509CertificateMultiFactor'],
    });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      previousCombinations: ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor'],
      currentCombinations: ['windowsHelloForBusiness', 'x509CertificateMultiFactor'],
      conditionalAccessReferences: [ac02.id],
    });
    // The fido2 restriction went with the fido2 combination.
    expect(((await call('GET', `${path}/combinationConfigurations`)).body as { value: unknown[] }).value).toEqual([]);

    const restored = await call(
      'POST',
      `/identity/conditionalAccess/authenticationStrength/policies/${fa01.id}/updateAllowedCombinations`,
      { allowedCombinations: ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor'] },
    );
    expect(restored.body).toMatchObject({
      previousCombinations: ['windowsHelloForBusiness', 'x509CertificateMultiFactor'],
    });

    const patched = await call('PATCH', path, { allowedCombinations: ['fido2'] });
    expect(graphErrorOf(patched).message).toMatch(/use updateAllowedCombinations/);
    expect((await call('PATCH', path, { description: 'PSC sans couture' })).status).toBe(204);

    const builtIn = await call(
      'POST',
      '/policies/authenticationStrengthPolicies/00000000-0000-0000-0000-000000000004/updateAllowedCombinations',
      { allowedCombinations: ['fido2'] },
    );
    expect(graphErrorOf(builtIn).message).toMatch(/Built-in/);
    const reader = await rawGraph(
      emu,
      okAdmin,
      ['Policy.Read.All'],
      'policy-reader',
    )('POST', `${path}/updateAllowedCombinations`, { allowedCombinations: ['fido2'] });
    expect(reader.status).toBe(403);
  });
});
