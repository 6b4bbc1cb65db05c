/**
 * Policy routes: authentication methods policy and configurations, the legacy trust store (the PKI store is in
 * `routes-pki.ts`),
 * conditional access policies, authentication strengths (with usage), authentication contexts, security defaults.
 */
import { randomUUID } from 'node:crypto';
import { roleTemplateIds as roles } from './seed/identities';
import { legacyCbaConfigurationId } from './seed/policies';
import { arraySource, serveCollection } from './collection';
import { badRequest, notFound } from './errors';
import type { Entity, Json } from './model';
import { select } from './odata';
import type { Route, RouteContext } from './route-types';
import { applyPatch, objectBody } from './route-types';

const methodsRead = ['Policy.Read.All', 'Policy.Read.AuthenticationMethod', 'Policy.ReadWrite.AuthenticationMethod'];
const methodsWrite = ['Policy.ReadWrite.AuthenticationMethod'];
const caRead = ['Policy.Read.All', 'Policy.Read.ConditionalAccess', 'Policy.ReadWrite.ConditionalAccess'];
const caWrite = ['Policy.ReadWrite.ConditionalAccess'];
const caRoles = [roles.conditionalAccessAdministrator];
// Reads need a directory role too (a plain member gets 403): the readers and administrators Graph documents.
const caReadRoles = [
  roles.globalReader,
  roles.securityReader,
  roles.securityAdministrator,
  roles.conditionalAccessAdministrator,
];
const methodsReadRoles = [
  roles.globalReader,
  roles.securityReader,
  roles.authenticationPolicyAdministrator,
  roles.privilegedAuthenticationAdministrator,
];

function byId(list: Entity[], id: string): Entity {
  const e = list.find((x) => x.id.toLowerCase() === id.toLowerCase());
  if (!e) {
    throw notFound(id);
  }
  return e;
}

function requireOdataType(body: Record<string, unknown>, target: Entity): void {
  if (body['@odata.type'] !== undefined && body['@odata.type'] !== target['@odata.type']) {
    throw badRequest(`The @odata.type '${JSON.stringify(body['@odata.type'])}' does not match the resource.`);
  }
  if (body['@odata.type'] === undefined) {
    throw badRequest(
      "A type named '' could not be resolved by the model. When a model is available, each type name must resolve to a valid type. Add '@odata.type'.",
    );
  }
}

function strengthUsage(ctx: RouteContext, id: string): { mfa: Json[]; none: Json[] } {
  const mfa: Json[] = [];
  for (const p of ctx.tenant.conditionalAccessPolicies) {
    const gc = p.grantControls as { authenticationStrength?: { id?: string } } | null;
    if (gc?.authenticationStrength?.id === id) {
      mfa.push(p);
    }
  }
  return { mfa, none: [] };
}

/** Policy routes. */
export const policyRoutes: readonly Route[] = [
  {
    method: 'GET',
    pattern: /^\/policies\/authenticationMethodsPolicy$/,
    scopes: methodsRead,
    roles: methodsReadRoles,
    handle: (ctx) => ({
      status: 200,
      body: {
        ...ctx.tenant.authenticationMethodsPolicy,
        authenticationMethodConfigurations: ctx.tenant.authenticationMethodConfigurations,
      },
    }),
  },
  {
    method: 'PATCH',
    pattern: /^\/policies\/authenticationMethodsPolicy$/,
    scopes: methodsWrite,
    roles: [roles.authenticationPolicyAdministrator],
    handle: (ctx) => {
      applyPatch(ctx.tenant.authenticationMethodsPolicy, objectBody(ctx.body));
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    pattern: /^\/policies\/authenticationMethodsPolicy\/authenticationMethodConfigurations\/([^/]+)$/,
    scopes: methodsRead,
    roles: methodsReadRoles,
    handle: (ctx, [id]) => ({ status: 200, body: byId(ctx.tenant.authenticationMethodConfigurations, id ?? '') }),
  },
  {
    method: 'PATCH',
    pattern: /^\/policies\/authenticationMethodsPolicy\/authenticationMethodConfigurations\/([^/]+)$/,
    scopes: methodsWrite,
    roles: [roles.authenticationPolicyAdministrator],
    handle: (ctx, [id]) => {
      const target = byId(ctx.tenant.authenticationMethodConfigurations, id ?? '');
      const body = objectBody(ctx.body);
      requireOdataType(body, target);
      applyPatch(target, body, ['id', '@odata.type']);
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    pattern: /^\/organization\/([^/]+)\/certificateBasedAuthConfiguration$/,
    scopes: ['Organization.Read.All', 'Organization.ReadWrite.All', 'Directory.Read.All'],
    handle: (ctx, [id]) => {
      if (id !== ctx.tenant.id) {
        throw notFound(id ?? '');
      }
      return serveCollection(ctx, arraySource(ctx.tenant.legacyCertificateBasedAuthConfigurations), {
        context: 'certificateBasedAuthConfiguration',
      });
    },
  },
  {
    method: 'POST',
    pattern: /^\/organization\/([^/]+)\/certificateBasedAuthConfiguration$/,
    scopes: ['Organization.ReadWrite.All'],
    roles: [],
    handle: (ctx, [id]) => {
      if (id !== ctx.tenant.id) {
        throw notFound(id ?? '');
      }
      const body = objectBody(ctx.body);
      if (!Array.isArray(body.certificateAuthorities)) {
        throw badRequest('certificateAuthorities is required.');
      }
      // The legacy store is replace-all: the new list is the whole store.
      const config = {
        id: legacyCbaConfigurationId,
        certificateAuthorities: structuredClone(body.certificateAuthorities) as Json[],
      };
      ctx.tenant.legacyCertificateBasedAuthConfigurations = [config];
      return { status: 201, body: config };
    },
  },
  {
    method: 'GET',
    pattern: /^\/identity\/conditionalAccess\/policies$/,
    scopes: caRead,
    roles: caReadRoles,
    handle: (ctx) =>
      serveCollection(ctx, arraySource(ctx.tenant.conditionalAccessPolicies), {
        context: 'identity/conditionalAccess/policies',
      }),
  },
  {
    method: 'GET',
    pattern: /^\/identity\/conditionalAccess\/policies\/([^/]+)$/,
    scopes: caRead,
    roles: caReadRoles,
    handle: (ctx, [id]) => ({ status: 200, body: byId(ctx.tenant.conditionalAccessPolicies, id ?? '') }),
  },
  {
    method: 'POST',
    pattern: /^\/identity\/conditionalAccess\/policies$/,
    scopes: caWrite,
    roles: caRoles,
    handle: (ctx) => {
      const body = objectBody(ctx.body);
      if (typeof body.displayName !== 'string' || body.conditions === undefined) {
        throw badRequest('displayName and conditions are required.');
      }
      const now = new Date().toISOString();
      const policy = {
        ...(structuredClone(body) as Entity),
        id: randomUUID(),
        createdDateTime: now,
        modifiedDateTime: now,
        templateId: null,
      };
      ctx.tenant.conditionalAccessPolicies.push(policy);
      return { status: 201, body: policy };
    },
  },
  {
    method: 'PATCH',
    pattern: /^\/identity\/conditionalAccess\/policies\/([^/]+)$/,
    scopes: caWrite,
    roles: caRoles,
    handle: (ctx, [id]) => {
      const p = byId(ctx.tenant.conditionalAccessPolicies, id ?? '');
      applyPatch(p, objectBody(ctx.body), ['id', 'createdDateTime']);
      p.modifiedDateTime = new Date().toISOString();
      return { status: 204 };
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/identity\/conditionalAccess\/policies\/([^/]+)$/,
    scopes: caWrite,
    roles: caRoles,
    handle: (ctx, [id]) => {
      const p = byId(ctx.tenant.conditionalAccessPolicies, id ?? '');
      ctx.tenant.conditionalAccessPolicies = ctx.tenant.conditionalAccessPolicies.filter((x) => x !== p);
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    pattern:
      /^\/(?:identity\/conditionalAccess\/authenticationStrength\/policies|policies\/authenticationStrengthPolicies)$/,
    scopes: [...caRead, ...methodsRead],
    roles: caReadRoles,
    handle: (ctx) =>
      serveCollection(ctx, arraySource(ctx.tenant.authenticationStrengthPolicies), {
        context: 'authenticationStrengthPolicies',
      }),
  },
  {
    method: 'GET',
    pattern:
      /^\/(?:identity\/conditionalAccess\/authenticationStrength\/policies|policies\/authenticationStrengthPolicies)\/([^/]+)$/,
    scopes: [...caRead, ...methodsRead],
    roles: caReadRoles,
    handle: (ctx, [id]) => ({
      status: 200,
      body: select(byId(ctx.tenant.authenticationStrengthPolicies, id ?? ''), ctx.query.get('$select')?.split(',')),
    }),
  },
  {
    method: 'GET',
    pattern:
      /^\/(?:identity\/conditionalAccess\/authenticationStrength\/policies|policies\/authenticationStrengthPolicies)\/([^/]+)\/usage$/,
    scopes: [...caRead, ...methodsRead],
    roles: caReadRoles,
    handle: (ctx, [id]) => {
      byId(ctx.tenant.authenticationStrengthPolicies, id ?? '');
      return {
        status: 200,
        body: {
          '@odata.context': `${ctx.serviceRoot}/$metadata#microsoft.graph.authenticationStrengthUsage`,
          ...strengthUsage(ctx, id ?? ''),
        },
      };
    },
  },
  {
    method: 'POST',
    pattern:
      /^\/(?:identity\/conditionalAccess\/authenticationStrength\/policies|policies\/authenticationStrengthPolicies)$/,
    scopes: caWrite,
    roles: caRoles,
    handle: (ctx) => {
      const body = objectBody(ctx.body);
      if (typeof body.displayName !== 'string' || !Array.isArray(body.allowedCombinations)) {
        throw badRequest('displayName and allowedCombinations are required.');
      }
      if (ctx.tenant.authenticationStrengthPolicies.some((s) => s.displayName === body.displayName)) {
        throw badRequest('A policy with the same display name already exists.');
      }
      const now = new Date().toISOString();
      const policy: Entity = {
        ...(structuredClone(body) as Entity),
        id: randomUUID(),
        createdDateTime: now,
        modifiedDateTime: now,
        policyType: 'custom',
        requirementsSatisfied: 'mfa',
      };
      ctx.tenant.authenticationStrengthPolicies.push(policy);
      return { status: 201, body: policy };
    },
  },
  {
    method: 'GET',
    pattern: /^\/identity\/conditionalAccess\/authenticationContextClassReferences$/,
    scopes: caRead,
    roles: caReadRoles,
    handle: (ctx) =>
      serveCollection(ctx, arraySource(ctx.tenant.authenticationContextClassReferences), {
        context: 'authenticationContextClassReferences',
      }),
  },
  {
    method: 'GET',
    pattern: /^\/policies\/identitySecurityDefaultsEnforcementPolicy$/,
    scopes: ['Policy.Read.All', 'Policy.ReadWrite.SecurityDefaults'],
    roles: caReadRoles,
    handle: (ctx) => ({ status: 200, body: ctx.tenant.securityDefaults }),
  },
  {
    method: 'PATCH',
    pattern: /^\/policies\/identitySecurityDefaultsEnforcementPolicy$/,
    scopes: ['Policy.ReadWrite.SecurityDefaults'],
    roles: [roles.conditionalAccessAdministrator],
    handle: (ctx) => {
      const body = objectBody(ctx.body);
      if (typeof body.isEnabled !== 'boolean') {
        throw badRequest('isEnabled must be a boolean.');
      }
      ctx.tenant.securityDefaults.isEnabled = body.isEnabled;
      return { status: 204 };
    },
  },
];
