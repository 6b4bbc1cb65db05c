/**
 * Directory routes: organization, subscribedSkus, users (with certificateUserIds rules), groups and members.
 */
import { roleTemplateIds as roles } from './seed/identities';
import { arraySource, serveCollection } from './collection';
import { badRequest, GraphHttpError, notFound } from './errors';
import type { Entity, TenantState } from './model';
import { certificateUserIds, str, syntheticUser } from './model';
import { select } from './odata';
import type { Route, RouteContext } from './route-types';
import { applyPatch, objectBody } from './route-types';

const read = (...extra: string[]): string[] => ['Directory.Read.All', 'Directory.ReadWrite.All', ...extra];

/** Graph's default user properties (everything else needs `$select`). */
export const defaultUserSelect = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
];

function userSource(t: TenantState) {
  return {
    count: t.users.length + t.syntheticUserCount,
    at: (i: number): Entity => (i < t.users.length ? (t.users[i] ?? { id: '' }) : syntheticUser(t, i - t.users.length)),
  };
}

/** Finds a user by id or UPN (explicit users only; synthetic ones are read-only list fodder). */
export function findUser(t: TenantState, key: string): Entity {
  const k = decodeURIComponent(key).toLowerCase();
  const u = t.users.find((x) => x.id === k || str(x, 'userPrincipalName')?.toLowerCase() === k);
  if (!u) {
    throw notFound(key);
  }
  return u;
}

function selectFields(ctx: RouteContext, dflt: readonly string[]): readonly string[] {
  return (
    ctx.query
      .get('$select')
      ?.split(',')
      .map((s) => s.trim()) ?? dflt
  );
}

function patchUser(ctx: RouteContext, params: readonly string[]) {
  const t = ctx.tenant;
  const user = findUser(t, params[0] ?? '');
  const patch = objectBody(ctx.body);
  const info = patch.authorizationInfo as { certificateUserIds?: unknown } | undefined;
  if (info !== undefined) {
    const ids = info.certificateUserIds;
    if (!Array.isArray(ids) || !ids.every((v): v is string => typeof v === 'string')) {
      throw badRequest("Invalid value specified for property 'certificateUserIds' of resource 'User'.");
    }
    if (user.onPremisesSyncEnabled === true) {
      throw badRequest(
        'Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.',
      );
    }
    if (ids.length > t.limits.certificateUserIds) {
      throw badRequest(
        `The maximum number of values for property 'certificateUserIds' is ${t.limits.certificateUserIds}.`,
      );
    }
    const tooLong = ids.find((v) => v.length > t.limits.certificateUserIdLength || v.length === 0);
    if (tooLong !== undefined) {
      throw badRequest(`Invalid value specified for property 'certificateUserIds' of resource 'User'.`);
    }
    if (new Set(ids).size !== ids.length) {
      throw badRequest('Duplicate values are not allowed for property certificateUserIds.');
    }
    for (const other of t.users) {
      if (other.id === user.id) {
        continue;
      }
      const clash = certificateUserIds(other).find((v) => ids.includes(v));
      if (clash !== undefined) {
        throw new GraphHttpError(
          400,
          'Request_BadRequest',
          `Another object with the same value for property certificateUserIds already exists.`,
        );
      }
    }
  }
  applyPatch(user, patch, ['id', 'onPremisesSyncEnabled']);
  return { status: 204 };
}

function findGroup(t: TenantState, id: string): Entity {
  const g = t.groups.find((x) => x.id === id);
  if (!g) {
    throw notFound(id);
  }
  return g;
}

function members(ctx: RouteContext, params: readonly string[]) {
  const t = ctx.tenant;
  const g = findGroup(t, params[0] ?? '');
  const ids = t.members[g.id] ?? [];
  const objs = ids.map((id) => {
    const u = t.users.find((x) => x.id === id);
    if (u) {
      return { '@odata.type': '#microsoft.graph.user', ...select(u, selectFields(ctx, defaultUserSelect)) };
    }
    const sub = t.groups.find((x) => x.id === id);
    return { '@odata.type': '#microsoft.graph.group', ...(sub ?? { id }) };
  });
  return serveCollection(
    { ...ctx, query: new URLSearchParams([...ctx.query].filter(([k]) => k !== '$select')) },
    arraySource(objs),
    { context: 'directoryObjects' },
  );
}

function addMember(ctx: RouteContext, params: readonly string[]) {
  const t = ctx.tenant;
  const g = findGroup(t, params[0] ?? '');
  const ref = objectBody(ctx.body)['@odata.id'];
  const id = typeof ref === 'string' ? /([0-9a-f-]{36})\/?$/i.exec(ref)?.[1] : undefined;
  if (!id) {
    throw badRequest("Invalid object identifier '@odata.id'.");
  }
  if (!t.users.some((u) => u.id === id) && !t.groups.some((x) => x.id === id)) {
    throw notFound(id);
  }
  const list = (t.members[g.id] ??= []);
  if (list.includes(id)) {
    throw badRequest(
      "One or more added object references already exist for the following modified properties: 'members'.",
    );
  }
  list.push(id);
  return { status: 204 };
}

function removeMember(ctx: RouteContext, params: readonly string[]) {
  const t = ctx.tenant;
  const g = findGroup(t, params[0] ?? '');
  const list = t.members[g.id] ?? [];
  const idx = list.indexOf(params[1] ?? '');
  if (idx < 0) {
    throw notFound(params[1] ?? '');
  }
  list.splice(idx, 1);
  return { status: 204 };
}

/** Directory routes. */
export const directoryRoutes: readonly Route[] = [
  {
    method: 'GET',
    pattern: /^\/organization$/,
    scopes: read('Organization.Read.All', 'Organization.ReadWrite.All', 'User.Read'),
    handle: (ctx) => serveCollection(ctx, arraySource([ctx.tenant.organization]), { context: 'organization' }),
  },
  {
    method: 'GET',
    pattern: /^\/organization\/([^/]+)$/,
    scopes: read('Organization.Read.All', 'Organization.ReadWrite.All', 'User.Read'),
    handle: (ctx, [id]) => {
      if (id !== ctx.tenant.id) {
        throw notFound(id ?? '');
      }
      return { status: 200, body: select(ctx.tenant.organization, ctx.query.get('$select')?.split(',')) };
    },
  },
  {
    method: 'GET',
    pattern: /^\/subscribedSkus$/,
    scopes: read('Organization.Read.All', 'LicenseAssignment.Read.All'),
    handle: (ctx) => serveCollection(ctx, arraySource(ctx.tenant.subscribedSkus), { context: 'subscribedSkus' }),
  },
  {
    method: 'GET',
    pattern: /^\/users$/,
    scopes: read('User.Read.All', 'User.ReadBasic.All', 'User.ReadWrite.All'),
    handle: (ctx) =>
      serveCollection(ctx, userSource(ctx.tenant), { defaultSelect: defaultUserSelect, context: 'users' }),
  },
  {
    method: 'GET',
    pattern: /^\/users\/([^/]+)$/,
    scopes: read('User.Read.All', 'User.ReadBasic.All', 'User.ReadWrite.All'),
    handle: (ctx, [id]) => ({
      status: 200,
      body: select(findUser(ctx.tenant, id ?? ''), selectFields(ctx, defaultUserSelect)),
    }),
  },
  {
    method: 'PATCH',
    pattern: /^\/users\/([^/]+)$/,
    scopes: ['User.ReadWrite.All', 'Directory.ReadWrite.All'],
    roles: [roles.privilegedAuthenticationAdministrator],
    handle: patchUser,
  },
  {
    method: 'GET',
    pattern: /^\/groups$/,
    scopes: read('Group.Read.All', 'GroupMember.Read.All', 'Group.ReadWrite.All'),
    handle: (ctx) => serveCollection(ctx, arraySource(ctx.tenant.groups), { context: 'groups' }),
  },
  {
    method: 'GET',
    pattern: /^\/groups\/([^/]+)$/,
    scopes: read('Group.Read.All', 'GroupMember.Read.All', 'Group.ReadWrite.All'),
    handle: (ctx, [id]) => ({
      status: 200,
      body: select(findGroup(ctx.tenant, id ?? ''), ctx.query.get('$select')?.split(',')),
    }),
  },
  {
    method: 'GET',
    pattern: /^\/groups\/([^/]+)\/(?:members|transitiveMembers)$/,
    scopes: read('Group.Read.All', 'GroupMember.Read.All', 'GroupMember.ReadWrite.All', 'Group.ReadWrite.All'),
    handle: members,
  },
  {
    method: 'POST',
    pattern: /^\/groups\/([^/]+)\/members\/\$ref$/,
    scopes: ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
    // Groups Administrator is the least role the 403 hint names (permissions.ts); the others keep enrollment working.
    roles: [
      roles.groupsAdministrator,
      roles.privilegedAuthenticationAdministrator,
      roles.authenticationPolicyAdministrator,
      roles.conditionalAccessAdministrator,
    ],
    handle: addMember,
  },
  {
    method: 'DELETE',
    pattern: /^\/groups\/([^/]+)\/members\/([^/]+)\/\$ref$/,
    scopes: ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
    // Groups Administrator is the least role the 403 hint names (permissions.ts); the others keep enrollment working.
    roles: [
      roles.groupsAdministrator,
      roles.privilegedAuthenticationAdministrator,
      roles.authenticationPolicyAdministrator,
      roles.conditionalAccessAdministrator,
    ],
    handle: removeMember,
  },
];
