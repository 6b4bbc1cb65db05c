/**
 * Authentication strength writes beyond create: `updateAllowedCombinations` (the only way to change combinations;
 * answers the previous set and the CA policies using the strength) and `combinationConfigurations` (FIDO2 AAGUID and
 * x509 issuer restrictions), under both Graph paths. Scopes and roles as for CA policies (psc-checklist.md #27–29).
 */
import { randomUUID } from 'node:crypto';
import { roleTemplateIds as roles } from './seed/identities';
import { arraySource, serveCollection } from './collection';
import { badRequest, notFound } from './errors';
import type { Entity, TenantState } from './model';
import type { Route, RouteContext } from './route-types';
import { applyPatch, objectBody } from './route-types';

const read = [
  'Policy.Read.All',
  'Policy.Read.ConditionalAccess',
  'Policy.ReadWrite.ConditionalAccess',
  'Policy.Read.AuthenticationMethod',
  'Policy.ReadWrite.AuthenticationMethod',
];
const write = ['Policy.ReadWrite.ConditionalAccess'];
const readRoles = [
  roles.globalReader,
  roles.securityReader,
  roles.securityAdministrator,
  roles.conditionalAccessAdministrator,
];
const writeRoles = [roles.conditionalAccessAdministrator, roles.securityAdministrator];
const base = String.raw`^\/(?:identity\/conditionalAccess\/authenticationStrength\/policies|policies\/authenticationStrengthPolicies)\/([^/]+)`;
const re = (tail: string) => new RegExp(`${base}${tail}$`);

/** Single methods of `authenticationMethodModes` (v1.0 CSDL); a combination joins them with commas. */
const modes = new Set([
  'password',
  'voice',
  'hardwareOath',
  'softwareOath',
  'sms',
  'fido2',
  'windowsHelloForBusiness',
  'microsoftAuthenticatorPush',
  'deviceBasedPush',
  'temporaryAccessPassOneTime',
  'temporaryAccessPassMultiUse',
  'email',
  'x509CertificateSingleFactor',
  'x509CertificateMultiFactor',
  'federatedSingleFactor',
  'federatedMultiFactor',
  'qrCodePin',
]);
const configTypes: Record<string, { combination: string; lists: readonly string[] }> = {
  '#microsoft.graph.fido2CombinationConfiguration': { combination: 'fido2', lists: ['allowedAAGUIDs'] },
  '#microsoft.graph.x509CertificateCombinationConfiguration': {
    combination: 'x509CertificateMultiFactor',
    lists: ['allowedIssuerSkis', 'allowedPolicyOIDs'],
  },
};

function strength(t: TenantState, id: string): Entity {
  const s = t.authenticationStrengthPolicies.find((x) => x.id.toLowerCase() === id.toLowerCase());
  if (!s) {
    throw notFound(id);
  }
  return s;
}

const stringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

function requireCustom(s: Entity): void {
  if (s.policyType !== 'custom') {
    throw badRequest('Built-in authentication strength policies cannot be modified.');
  }
}

function configsOf(t: TenantState, strengthId: string): Entity[] {
  t.authenticationCombinationConfigurations ??= {};
  return (t.authenticationCombinationConfigurations[strengthId] ??= []);
}

function updateAllowedCombinations(ctx: RouteContext, [id]: readonly string[]) {
  const s = strength(ctx.tenant, id ?? '');
  requireCustom(s);
  const body = objectBody(ctx.body);
  if (!stringList(body.allowedCombinations) || body.allowedCombinations.length === 0) {
    throw badRequest('allowedCombinations must be a non-empty list of authenticationMethodModes.');
  }
  const next = body.allowedCombinations.map((c) => c.replace(/\s+/g, ''));
  const unknown = next.find((c) => c.split(',').some((m) => !modes.has(m)));
  if (unknown !== undefined) {
    throw badRequest(`'${unknown}' is not a valid authentication method combination.`);
  }
  const previous = stringList(s.allowedCombinations) ? s.allowedCombinations : [];
  s.allowedCombinations = [...new Set(next)];
  s.modifiedDateTime = new Date(ctx.now?.() ?? Date.now()).toISOString();
  // Combination configurations of a removed combination go with it, as on Graph.
  const configs = configsOf(ctx.tenant, s.id);
  const kept = configs.filter((c) =>
    stringList(c.appliesToCombinations) ? c.appliesToCombinations.some((x) => next.includes(x)) : false,
  );
  configs.splice(0, configs.length, ...kept);
  const references = ctx.tenant.conditionalAccessPolicies
    .filter(
      (p) =>
        (p.grantControls as { authenticationStrength?: { id?: string } } | null)?.authenticationStrength?.id === s.id,
    )
    .map((p) => p.id);
  return {
    status: 200,
    body: {
      '@odata.context': `${ctx.serviceRoot}/$metadata#microsoft.graph.updateAllowedCombinationsResult`,
      additionalInformation: null,
      conditionalAccessReferences: references,
      currentCombinations: s.allowedCombinations,
      previousCombinations: previous,
    },
  };
}

function validateConfig(body: Record<string, unknown>, s: Entity, type: string): void {
  const spec = configTypes[type];
  if (spec === undefined) {
    throw badRequest(`The @odata.type '${type}' is not a combination configuration type.`);
  }
  for (const list of spec.lists) {
    if (body[list] !== undefined && !stringList(body[list])) {
      throw badRequest(`${list} must be a list of strings.`);
    }
  }
  const applies = body.appliesToCombinations;
  if (applies !== undefined) {
    if (!stringList(applies) || applies.some((c) => c !== spec.combination)) {
      throw badRequest(`appliesToCombinations of a ${type.slice(17)} can only be ['${spec.combination}'].`);
    }
    const allowed = stringList(s.allowedCombinations) ? s.allowedCombinations : [];
    if (!allowed.includes(spec.combination)) {
      throw badRequest(`The policy does not allow the combination '${spec.combination}'.`);
    }
  }
}

function createConfig(ctx: RouteContext, [id]: readonly string[]) {
  const s = strength(ctx.tenant, id ?? '');
  requireCustom(s);
  const body = objectBody(ctx.body);
  const type = typeof body['@odata.type'] === 'string' ? body['@odata.type'] : '';
  validateConfig({ appliesToCombinations: [], ...body }, s, type);
  if (!stringList(body.appliesToCombinations) || body.appliesToCombinations.length === 0) {
    throw badRequest('appliesToCombinations is required.');
  }
  const configs = configsOf(ctx.tenant, s.id);
  if (configs.some((c) => c['@odata.type'] === type)) {
    throw badRequest('A combination configuration of this type already exists for the policy.');
  }
  const spec = configTypes[type];
  const config: Entity = {
    '@odata.type': type,
    id: randomUUID(),
    appliesToCombinations: body.appliesToCombinations,
    ...Object.fromEntries((spec?.lists ?? []).map((l) => [l, stringList(body[l]) ? body[l] : []])),
  };
  configs.push(config);
  return { status: 201, body: config };
}

function configById(ctx: RouteContext, id: string, configId: string): { s: Entity; c: Entity } {
  const s = strength(ctx.tenant, id);
  const c = configsOf(ctx.tenant, s.id).find((x) => x.id === configId);
  if (!c) {
    throw notFound(configId);
  }
  return { s, c };
}

/** Strength action and combination configuration routes, and PATCH (names only: combinations need the action). */
export const strengthRoutes: readonly Route[] = [
  {
    method: 'PATCH',
    pattern: re(''),
    scopes: write,
    roles: writeRoles,
    handle: (ctx, [id]) => {
      const s = strength(ctx.tenant, id ?? '');
      requireCustom(s);
      const body = objectBody(ctx.body);
      if (body.allowedCombinations !== undefined) {
        throw badRequest('allowedCombinations cannot be updated with PATCH: use updateAllowedCombinations.');
      }
      const extra = Object.keys(body).find((k) => !['displayName', 'description'].includes(k));
      if (extra !== undefined) {
        throw badRequest(`Property '${extra}' cannot be updated.`);
      }
      applyPatch(s, body);
      s.modifiedDateTime = new Date(ctx.now?.() ?? Date.now()).toISOString();
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    pattern: re(String.raw`\/(?:microsoft\.graph\.)?updateAllowedCombinations`),
    scopes: write,
    roles: writeRoles,
    handle: updateAllowedCombinations,
  },
  {
    method: 'GET',
    pattern: re(String.raw`\/combinationConfigurations`),
    scopes: read,
    roles: readRoles,
    handle: (ctx, [id]) => {
      const s = strength(ctx.tenant, id ?? '');
      return serveCollection(ctx, arraySource(configsOf(ctx.tenant, s.id)), {
        context: `policies/authenticationStrengthPolicies('${s.id}')/combinationConfigurations`,
      });
    },
  },
  {
    method: 'POST',
    pattern: re(String.raw`\/combinationConfigurations`),
    scopes: write,
    roles: writeRoles,
    handle: createConfig,
  },
  {
    method: 'GET',
    pattern: re(String.raw`\/combinationConfigurations\/([^/]+)`),
    scopes: read,
    roles: readRoles,
    handle: (ctx, [id, configId]) => ({ status: 200, body: configById(ctx, id ?? '', configId ?? '').c }),
  },
  {
    method: 'PATCH',
    pattern: re(String.raw`\/combinationConfigurations\/([^/]+)`),
    scopes: write,
    roles: writeRoles,
    handle: (ctx, [id, configId]) => {
      const { s, c } = configById(ctx, id ?? '', configId ?? '');
      requireCustom(s);
      const body = objectBody(ctx.body);
      const type = typeof c['@odata.type'] === 'string' ? c['@odata.type'] : '';
      if (body['@odata.type'] !== undefined && body['@odata.type'] !== type) {
        throw badRequest('The @odata.type of a combination configuration cannot change.');
      }
      validateConfig(body, s, type);
      applyPatch(c, body, ['id', '@odata.type']);
      return { status: 204 };
    },
  },
  {
    method: 'DELETE',
    pattern: re(String.raw`\/combinationConfigurations\/([^/]+)`),
    scopes: write,
    roles: writeRoles,
    handle: (ctx, [id, configId]) => {
      const { s, c } = configById(ctx, id ?? '', configId ?? '');
      requireCustom(s);
      const configs = configsOf(ctx.tenant, s.id);
      configs.splice(configs.indexOf(c), 1);
      return { status: 204 };
    },
  },
];
