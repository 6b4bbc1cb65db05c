/**
 * Opt-in schema conformance hook: every exchange the emulator serves (request body and response, `$batch` items and
 * error bodies included) is handed to a checker, tagged with the Graph type of its resource. Tests plug in the
 * checker built from Graph's CSDL (`test/helpers`); the emulator records what it reports, so a test helper can fail
 * the test at teardown. Demo mode runs without a checker.
 */

/** One request/response pair as served. */
export type GraphExchange = {
  readonly method: string;
  readonly version: 'v1.0' | 'beta';
  /** Path after the version, without the query. */
  readonly path: string;
  readonly query: string;
  /** Graph type of the resource (`user`, `conditionalAccessPolicy`…); undefined for routes without one. */
  readonly entity: string | undefined;
  /** A bound action (`upload`, `updateAllowedCombinations`): its request body holds the action's parameters. */
  readonly action?: GraphAction | undefined;
  /** `$batch` envelope (outer request) rather than a resource. */
  readonly isBatchEnvelope: boolean;
  readonly inBatch: boolean;
  readonly requestBody: unknown;
  readonly status: number;
  readonly responseBody: unknown;
};

/** A bound action: its name and the Graph type it is bound to. */
export type GraphAction = { readonly name: string; readonly bindingType: string };

/** Returns the problems found in an exchange (empty when it conforms). */
export type ConformanceChecker = (exchange: GraphExchange) => readonly string[];

/** A recorded problem. */
export type ConformanceViolation = {
  readonly method: string;
  readonly version: string;
  readonly path: string;
  readonly problem: string;
};

const strengthBase = String.raw`^\/(identity\/conditionalAccess\/authenticationStrength\/policies|policies\/authenticationStrengthPolicies)\/[^/]+`;
const pkiBase = String.raw`^\/directory\/publicKeyInfrastructure\/certificateBasedAuthConfigurations`;

const actionTable: readonly (readonly [RegExp, GraphAction])[] = [
  [
    new RegExp(`${pkiBase}\\/[^/]+\\/(microsoft\\.graph\\.)?upload$`),
    { name: 'upload', bindingType: 'certificateBasedAuthPki' },
  ],
  [
    new RegExp(`${strengthBase}\\/(microsoft\\.graph\\.)?updateAllowedCombinations$`),
    { name: 'updateAllowedCombinations', bindingType: 'authenticationStrengthPolicy' },
  ],
];

const entityTable: readonly (readonly [RegExp, string])[] = [
  [
    new RegExp(`${strengthBase}\\/(microsoft\\.graph\\.)?updateAllowedCombinations$`),
    'updateAllowedCombinationsResult',
  ],
  [new RegExp(`${strengthBase}\\/combinationConfigurations(\\/[^/]+)?$`), 'authenticationCombinationConfiguration'],
  [/^\/servicePrincipals(\/[^/]+|\([^)]*\))\/appRoleAssignments(\/[^/]+)?$/, 'appRoleAssignment'],
  [/^\/organization\/[^/]+\/certificateBasedAuthConfiguration$/, 'certificateBasedAuthConfiguration'],
  [/^\/organization(\/[^/]+)?$/, 'organization'],
  [/^\/subscribedSkus$/, 'subscribedSku'],
  [/^\/users(\/[^/]+)?$/, 'user'],
  [/^\/groups\/[^/]+\/(members|transitiveMembers)(\/[^/]+)?(\/\$ref)?$/, 'directoryObject'],
  [/^\/groups(\/[^/]+)?$/, 'group'],
  [/^\/policies\/authenticationMethodsPolicy$/, 'authenticationMethodsPolicy'],
  [
    /^\/policies\/authenticationMethodsPolicy\/authenticationMethodConfigurations\/[^/]+$/,
    'authenticationMethodConfiguration',
  ],
  [
    /^\/directory\/publicKeyInfrastructure\/certificateBasedAuthConfigurations\/[^/]+\/certificateAuthorities(\/[^/]+)?$/,
    'certificateAuthorityDetail',
  ],
  [/^\/directory\/publicKeyInfrastructure\/certificateBasedAuthConfigurations(\/[^/]+)?$/, 'certificateBasedAuthPki'],
  [/^\/identity\/conditionalAccess\/policies(\/[^/]+)?$/, 'conditionalAccessPolicy'],
  [
    /^\/(identity\/conditionalAccess\/authenticationStrength\/policies|policies\/authenticationStrengthPolicies)\/[^/]+\/usage$/,
    'authenticationStrengthUsage',
  ],
  [
    /^\/(identity\/conditionalAccess\/authenticationStrength\/policies|policies\/authenticationStrengthPolicies)(\/[^/]+)?$/,
    'authenticationStrengthPolicy',
  ],
  [
    /^\/identity\/conditionalAccess\/authenticationContextClassReferences(\/[^/]+)?$/,
    'authenticationContextClassReference',
  ],
  [/^\/policies\/identitySecurityDefaultsEnforcementPolicy$/, 'identitySecurityDefaultsEnforcementPolicy'],
  [/^\/servicePrincipals(\/[^/]+|\([^)]*\))\/oauth2PermissionGrants$/, 'oAuth2PermissionGrant'],
  [/^\/oauth2PermissionGrants(\/[^/]+)?$/, 'oAuth2PermissionGrant'],
  [/^\/servicePrincipals(\/[^/]+|\([^)]*\))\/appRoleAssignedTo(\/[^/]+)?$/, 'appRoleAssignment'],
  [/^\/servicePrincipals(\/[^/]+|\([^)]*\))?$/, 'servicePrincipal'],
];

/** The Graph type a path addresses (items of a collection, or the single resource). */
export function entityOf(path: string): string | undefined {
  return entityTable.find(([pattern]) => pattern.test(path))?.[1];
}

/** The bound action a path invokes, if any. */
export function actionOf(path: string): GraphAction | undefined {
  return actionTable.find(([pattern]) => pattern.test(path))?.[1];
}

/** Runs the checker (if any) and records its findings; a checker that throws is itself a finding. */
export function recordConformance(
  checker: ConformanceChecker | undefined,
  sink: ConformanceViolation[],
  exchange: GraphExchange,
): void {
  if (checker === undefined) {
    return;
  }
  let problems: readonly string[];
  try {
    problems = checker(exchange);
  } catch (error) {
    problems = [`checker failed: ${error instanceof Error ? error.message : String(error)}`];
  }
  for (const problem of problems) {
    if (sink.length < 10_000) {
      sink.push({ method: exchange.method, version: exchange.version, path: exchange.path, problem });
    }
  }
}
