/**
 * Application routes: service principals (by id or `(appId='…')`), delegated grants and app role assignments.
 */
import { randomUUID } from 'node:crypto';
import { roleTemplateIds as roles } from './seed/identities';
import { graphAppId, graphServicePrincipal, pscAppId, pscServicePrincipal } from './seed/policies';
import { arraySource, serveCollection } from './collection';
import { GraphHttpError, badRequest, notFound } from './errors';
import type { Entity, TenantState } from './model';
import { str } from './model';
import { select } from './odata';
import type { Route, RouteContext } from './route-types';
import { applyPatch, objectBody } from './route-types';

const appRead = ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const appWrite = ['Application.ReadWrite.All', 'Directory.ReadWrite.All'];
const grantWrite = ['DelegatedPermissionGrant.ReadWrite.All', 'Directory.ReadWrite.All'];
const grantRead = [
  'DelegatedPermissionGrant.Read.All',
  'DelegatedPermissionGrant.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];

function findSp(t: TenantState, key: string): Entity {
  const byApp = /^\(appId='([^']+)'\)$/.exec(decodeURIComponent(key));
  const sp = byApp
    ? t.servicePrincipals.find((s) => str(s, 'appId') === byApp[1])
    : t.servicePrincipals.find((s) => s.id === key);
  if (!sp) {
    throw notFound(byApp?.[1] ?? key);
  }
  return sp;
}

const spKey = String.raw`(\(appId='[^']+'\)|[0-9a-fA-F-]{36}|[^/(]+)`;

function assignedTo(ctx: RouteContext, [key]: readonly string[]) {
  const sp = findSp(ctx.tenant, key ?? '');
  return serveCollection(ctx, arraySource(ctx.tenant.appRoleAssignments.filter((a) => a.resourceId === sp.id)), {
    context: 'appRoleAssignments',
  });
}

function assign(ctx: RouteContext, [key]: readonly string[]) {
  const t = ctx.tenant;
  const sp = findSp(t, key ?? '');
  const body = objectBody(ctx.body);
  const principalId = body.principalId;
  if (typeof principalId !== 'string' || body.resourceId !== sp.id || typeof body.appRoleId !== 'string') {
    throw badRequest('principalId, resourceId and appRoleId are required.');
  }
  const group = t.groups.find((g) => g.id === principalId);
  const user = t.users.find((u) => u.id === principalId);
  if (!group && !user) {
    throw notFound(principalId);
  }
  if (
    t.appRoleAssignments.some(
      (a) => a.resourceId === sp.id && a.principalId === principalId && a.appRoleId === body.appRoleId,
    )
  ) {
    throw badRequest('Permission being assigned already exists on the object');
  }
  const a: Entity = {
    id: randomUUID(),
    appRoleId: body.appRoleId,
    createdDateTime: new Date().toISOString(),
    principalDisplayName: str(group ?? user ?? { id: '' }, 'displayName') ?? '',
    principalId,
    principalType: group ? 'Group' : 'User',
    resourceDisplayName: str(sp, 'displayName') ?? '',
    resourceId: sp.id,
  };
  t.appRoleAssignments.push(a);
  return { status: 201, body: a };
}

/** Multi-tenant applications the emulator's "home tenants" publish (what `POST /servicePrincipals` can instantiate). */
const publishedApps: Readonly<Record<string, (id: string) => Entity>> = {
  [pscAppId]: (id) => pscServicePrincipal(id, false),
  [graphAppId]: (id) => graphServicePrincipal(id),
};

function createSp(ctx: RouteContext) {
  const body = objectBody(ctx.body);
  const appId = body.appId;
  if (typeof appId !== 'string' || appId.length === 0) {
    throw badRequest('appId is required.');
  }
  if (ctx.tenant.servicePrincipals.some((s) => str(s, 'appId') === appId)) {
    throw new GraphHttpError(
      409,
      'Request_MultipleObjectsWithSameKeyValue',
      'Another object with the same value for property appId already exists.',
    );
  }
  const make = publishedApps[appId.toLowerCase()];
  if (!make) {
    throw badRequest(`The appId '${appId}' of the service principal does not reference a valid application object.`);
  }
  const sp = make(randomUUID());
  const { appId: _appId, ...rest } = body;
  applyPatch(sp, rest, ['id', 'appId', 'appOwnerOrganizationId', 'verifiedPublisher', 'appDisplayName']);
  ctx.tenant.servicePrincipals.push(sp);
  return { status: 201, body: sp };
}

function createGrant(ctx: RouteContext) {
  const t = ctx.tenant;
  const body = objectBody(ctx.body);
  const { clientId, consentType, principalId, resourceId, scope } = body;
  if (typeof clientId !== 'string' || typeof resourceId !== 'string' || typeof consentType !== 'string') {
    throw badRequest('clientId, consentType and resourceId are required.');
  }
  for (const id of [clientId, resourceId]) {
    if (!t.servicePrincipals.some((s) => s.id === id)) {
      throw notFound(id);
    }
  }
  if (
    consentType === 'AllPrincipals' ? principalId !== undefined && principalId !== null : consentType !== 'Principal'
  ) {
    throw badRequest("consentType must be 'AllPrincipals' (without principalId) or 'Principal'.");
  }
  if (consentType === 'Principal' && !t.users.some((u) => u.id === principalId)) {
    throw badRequest('principalId must be the id of a user when consentType is Principal.');
  }
  if (scope !== undefined && (typeof scope !== 'string' || scope.length > 3850)) {
    throw badRequest('scope must be a space-separated list of delegated permissions.');
  }
  const samePrincipal = consentType === 'AllPrincipals' ? null : principalId;
  if (
    t.oauth2PermissionGrants.some(
      (g) => g.clientId === clientId && g.resourceId === resourceId && (g.principalId ?? null) === samePrincipal,
    )
  ) {
    throw new GraphHttpError(409, 'Request_MultipleObjectsWithSameKeyValue', 'Permission entry already exists.');
  }
  const grant: Entity = {
    // Graph's grant ids are base64url strings, not GUIDs.
    id: Buffer.from(randomUUID().replace(/-/g, ''), 'hex').toString('base64url'),
    clientId,
    consentType,
    principalId: samePrincipal as string | null,
    resourceId,
    scope: typeof scope === 'string' ? scope.trim() : '',
  };
  t.oauth2PermissionGrants.push(grant);
  return { status: 201, body: grant };
}

/** App role assignments granted to the service principal itself (application permissions it holds). */
const assignmentsOf = (t: TenantState, sp: Entity): Entity[] =>
  t.appRoleAssignments.filter((a) => a.principalId === sp.id);

/** Application routes. */
export const appRoutes: readonly Route[] = [
  {
    method: 'POST',
    pattern: /^\/servicePrincipals$/,
    scopes: appWrite,
    roles: [roles.cloudApplicationAdministrator],
    handle: createSp,
  },
  {
    method: 'POST',
    pattern: /^\/oauth2PermissionGrants$/,
    scopes: grantWrite,
    roles: [roles.cloudApplicationAdministrator],
    handle: createGrant,
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/servicePrincipals(?:/|)${spKey}/appRoleAssignments$`),
    scopes: appRead,
    handle: (ctx, [key]) =>
      serveCollection(ctx, arraySource(assignmentsOf(ctx.tenant, findSp(ctx.tenant, key ?? ''))), {
        context: 'appRoleAssignments',
      }),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/servicePrincipals(?:/|)${spKey}/appRoleAssignments/([^/]+)$`),
    scopes: appRead,
    handle: (ctx, [key, id]) => {
      const a = assignmentsOf(ctx.tenant, findSp(ctx.tenant, key ?? '')).find((x) => x.id === id);
      if (!a) {
        throw notFound(id ?? '');
      }
      return { status: 200, body: a };
    },
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/servicePrincipals(?:/|)${spKey}/appRoleAssignments/([^/]+)$`),
    scopes: ['AppRoleAssignment.ReadWrite.All', 'Application.ReadWrite.All'],
    roles: [roles.cloudApplicationAdministrator],
    handle: (ctx, [key, id]) => {
      const a = assignmentsOf(ctx.tenant, findSp(ctx.tenant, key ?? '')).find((x) => x.id === id);
      if (!a) {
        throw notFound(id ?? '');
      }
      ctx.tenant.appRoleAssignments = ctx.tenant.appRoleAssignments.filter((x) => x !== a);
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    pattern: /^\/servicePrincipals$/,
    scopes: appRead,
    handle: (ctx) => serveCollection(ctx, arraySource(ctx.tenant.servicePrincipals), { context: 'servicePrincipals' }),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/servicePrincipals(?:/|)${spKey}$`),
    scopes: appRead,
    handle: (ctx, [key]) => ({
      status: 200,
      body: select(findSp(ctx.tenant, key ?? ''), ctx.query.get('$select')?.split(',')),
    }),
  },
  {
    method: 'PATCH',
    pattern: new RegExp(`^/servicePrincipals(?:/|)${spKey}$`),
    scopes: ['Application.ReadWrite.All', 'Directory.ReadWrite.All'],
    roles: [roles.cloudApplicationAdministrator],
    handle: (ctx, [key]) => {
      applyPatch(findSp(ctx.tenant, key ?? ''), objectBody(ctx.body), [
        'id',
        'appId',
        'appOwnerOrganizationId',
        'verifiedPublisher',
      ]);
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/servicePrincipals(?:/|)${spKey}/oauth2PermissionGrants$`),
    scopes: grantRead,
    handle: (ctx, [key]) => {
      const sp = findSp(ctx.tenant, key ?? '');
      return serveCollection(ctx, arraySource(ctx.tenant.oauth2PermissionGrants.filter((g) => g.clientId === sp.id)), {
        context: 'oauth2PermissionGrants',
      });
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/servicePrincipals(?:/|)${spKey}/appRoleAssignedTo$`),
    scopes: appRead,
    handle: assignedTo,
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/servicePrincipals(?:/|)${spKey}/appRoleAssignedTo$`),
    scopes: ['AppRoleAssignment.ReadWrite.All', 'Application.ReadWrite.All'],
    roles: [roles.cloudApplicationAdministrator],
    handle: assign,
  },
  {
    method: 'GET',
    pattern: /^\/oauth2PermissionGrants$/,
    scopes: grantRead,
    handle: (ctx) =>
      serveCollection(ctx, arraySource(ctx.tenant.oauth2PermissionGrants), { context: 'oauth2PermissionGrants' }),
  },
];
