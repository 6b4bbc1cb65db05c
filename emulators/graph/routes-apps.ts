/**
 * Application routes: service principals (by id or `(appId='…')`), delegated grants and app role assignments.
 */
import { randomUUID } from 'node:crypto';
import { roleTemplateIds as roles } from './seed/identities';
import { arraySource, serveCollection } from './collection';
import { badRequest, notFound } from './errors';
import type { Entity, TenantState } from './model';
import { str } from './model';
import { select } from './odata';
import type { Route, RouteContext } from './route-types';
import { applyPatch, objectBody } from './route-types';

const appRead = ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
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

/** Application routes. */
export const appRoutes: readonly Route[] = [
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
