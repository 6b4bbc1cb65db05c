/**
 * OIDC authority emulator on loopback HTTPS, shaped like `login.microsoftonline.com` v2.0 for MSAL Node.
 *
 * Routes: `/{tenant}/v2.0/.well-known/openid-configuration`, `/{tenant}/discovery/v2.0/keys`,
 * `/{tenant}/oauth2/v2.0/{authorize,token,devicecode}`, `/devicelogin`, `/common/discovery/instance`.
 * `{tenant}` is a tenant id, a verified domain, `organizations` or `common`.
 */
import { createServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateLoopbackCertificate } from '../tls/index';
import type { SeedTenantIdentity } from '../graph/seed/identities';
import { seedTenantIdentities } from '../graph/seed/identities';
import { readBody, sendHtml, sendJson } from './http-util';
import type { InteractiveOptions } from './interactive';
import { handleAuthorizeGet, handleAuthorizePost, handleDeviceLogin } from './interactive';
import type { JwkSet } from './jwt';
import { generateSigningKey, signJwt } from './jwt';
import { AuthorityState, graphResource } from './state';
import type { TokenContext } from './token-endpoint';
import { handleDeviceCode, handleToken } from './token-endpoint';
import { issueTokens, oauthError } from './tokens';

/** Options of `startAuthorityEmulator`. */
export type AuthorityEmulatorOptions = {
  readonly tenants?: readonly SeedTenantIdentity[];
  /** Sign this account in without a page (demo mode). */
  readonly autoSignIn?: { readonly userPrincipalName: string };
  readonly accessTokenLifetimeSeconds?: number;
  readonly deviceCodeIntervalSeconds?: number;
  /** Members invited as guests of other tenants (B2B): same person, home account, a new object id there. */
  readonly guests?: readonly {
    readonly userPrincipalName: string;
    readonly tenant: string;
    readonly roles?: readonly string[];
  }[];
  /** Auth context values only an interactive sign-in satisfies (see `AuthorityState.interactionOnlyAcrs`). */
  readonly interactionOnlyAcrs?: readonly string[];
  readonly port?: number;
  readonly now?: () => number;
};

/** A running authority emulator. */
export type AuthorityEmulator = {
  /** Base URL, e.g. `https://127.0.0.1:43123` (authorities are `${url}/${tenant}`). */
  readonly url: string;
  /** `host:port`, the value MSAL's `knownAuthorities` needs. */
  readonly host: string;
  readonly caCertPem: string;
  readonly spkiSha256Base64: string;
  readonly jwks: JwkSet;
  readonly state: AuthorityState;
  /** OpenID configuration document for a tenant segment (what MSAL gets as `authorityMetadata`). */
  openIdConfiguration(tenantSegment: string): Record<string, unknown>;
  /** Instance discovery document (what MSAL gets as `cloudDiscoveryMetadata`). */
  instanceDiscovery(): Record<string, unknown>;
  /** Issues a Graph access token directly (tests of the Graph client that do not exercise MSAL). */
  issueAccessToken(input: {
    userPrincipalName: string;
    scopes: readonly string[];
    capabilities?: string[];
    acrs?: string[];
    clientId?: string;
    lifetimeSeconds?: number;
  }): string;
  /** Approves a pending device code as a user (CLI tests without a browser). */
  approveDeviceCode(userCode: string, userPrincipalName: string): boolean;
  /** Signs an arbitrary claim set with the authority key (negative tests). */
  sign(claims: Record<string, unknown>): string;
  /** Offline: stop listening (connections refused) and drop open ones; online: listen again on the same port. */
  setOffline(offline: boolean): Promise<void>;
  close(): Promise<void>;
};

/** Starts the authority emulator on 127.0.0.1 (random port unless given). */
export async function startAuthorityEmulator(options: AuthorityEmulatorOptions = {}): Promise<AuthorityEmulator> {
  const tls = await generateLoopbackCertificate('authority.psc-emulator.local');
  const key = generateSigningKey();
  const state = new AuthorityState(options.tenants ?? seedTenantIdentities);
  for (const guest of options.guests ?? []) {
    state.addGuest(guest.userPrincipalName, guest.tenant, guest.roles);
  }
  for (const acr of options.interactionOnlyAcrs ?? []) {
    state.interactionOnlyAcrs.add(acr);
  }
  const now = options.now ?? (() => Date.now());
  let baseUrl = '';
  const tokenCtx = (): TokenContext => ({
    state,
    key,
    baseUrl,
    lifetimeSeconds: options.accessTokenLifetimeSeconds ?? 3600,
    deviceIntervalSeconds: options.deviceCodeIntervalSeconds ?? 1,
    now,
  });
  const interactive: InteractiveOptions = { state, autoSignIn: options.autoSignIn, now };

  const openIdConfiguration = (segment: string): Record<string, unknown> => {
    const tenant = state.findTenant(segment);
    const tid = tenant?.id ?? '{tenantid}';
    const seg = tenant?.id ?? segment;
    return {
      token_endpoint: `${baseUrl}/${seg}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${baseUrl}/${seg}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${baseUrl}/${tid}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${baseUrl}/oidc/userinfo`,
      authorization_endpoint: `${baseUrl}/${seg}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${baseUrl}/${seg}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${baseUrl}/${seg}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'oid'],
      kerberos_endpoint: `${baseUrl}/${seg}/kerberos`,
      tenant_region_scope: 'EU',
      cloud_instance_name: 'psc-emulator.local',
      cloud_graph_host_name: 'graph.psc-emulator.local',
      msgraph_host: 'graph.psc-emulator.local',
    };
  };
  const instanceDiscovery = (): Record<string, unknown> => {
    const host = new URL(baseUrl).host;
    return {
      tenant_discovery_endpoint: `${baseUrl}/organizations/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    };
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', baseUrl);
    const parts = url.pathname.split('/').filter((p) => p.length > 0);
    const method = req.method ?? 'GET';
    const form = async (): Promise<URLSearchParams | undefined> => {
      const body = await readBody(req);
      return body === undefined ? undefined : new URLSearchParams(body);
    };
    const [segment = '', ...rest] = parts;
    const tail = rest.join('/');
    if (parts.join('/') === 'common/discovery/instance') {
      sendJson(res, 200, instanceDiscovery());
      return;
    }
    if (segment === 'devicelogin') {
      const action = `${baseUrl}/devicelogin`;
      const reply = handleDeviceLogin(
        interactive,
        method === 'POST' ? ((await form()) ?? new URLSearchParams()) : undefined,
        action,
      );
      sendHtml(res, reply.status, reply.html);
      return;
    }
    const known = segment === 'organizations' || segment === 'common' || state.findTenant(segment) !== undefined;
    if (!known) {
      sendJson(res, 400, oauthError('invalid_tenant', 90002, `Tenant '${segment}' not found.`));
      return;
    }
    if (method === 'GET' && tail === 'v2.0/.well-known/openid-configuration') {
      sendJson(res, 200, openIdConfiguration(segment));
    } else if (method === 'GET' && tail === 'discovery/v2.0/keys') {
      sendJson(res, 200, { keys: [key.jwk] });
    } else if (tail === 'oauth2/v2.0/authorize' && (method === 'GET' || method === 'POST')) {
      const action = `${baseUrl}/${segment}/oauth2/v2.0/authorize`;
      const reply =
        method === 'GET'
          ? handleAuthorizeGet(interactive, segment, url.searchParams, action)
          : handleAuthorizePost(interactive, (await form()) ?? new URLSearchParams(), action);
      sendHtml(res, reply.status, reply.html);
    } else if (method === 'POST' && tail === 'oauth2/v2.0/token') {
      const reply = handleToken(tokenCtx(), (await form()) ?? new URLSearchParams(), segment);
      sendJson(res, reply.status, reply.body, { 'cache-control': 'no-store' });
    } else if (method === 'POST' && tail === 'oauth2/v2.0/devicecode') {
      const reply = handleDeviceCode(tokenCtx(), segment, (await form()) ?? new URLSearchParams());
      sendJson(res, reply.status, reply.body);
    } else {
      sendJson(res, 404, oauthError('not_found', 90000, `No route for ${method} ${url.pathname}.`));
    }
  };

  const server = createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        sendJson(res, 500, oauthError('server_error', 50000, error instanceof Error ? error.message : 'internal'));
      } else {
        res.destroy();
      }
    });
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
      server.closeAllConnections();
    });
  await listen(options.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  baseUrl = `https://127.0.0.1:${port}`;
  let offline = false;

  return {
    url: baseUrl,
    host: `127.0.0.1:${port}`,
    caCertPem: tls.caCertPem,
    spkiSha256Base64: tls.spkiSha256Base64,
    jwks: { keys: [key.jwk] },
    state,
    openIdConfiguration,
    instanceDiscovery,
    issueAccessToken(input) {
      const match = state
        .accountsFor('organizations')
        .find((x) => x.account.userPrincipalName.toLowerCase() === input.userPrincipalName.toLowerCase());
      if (!match) {
        throw new Error(`unknown test user ${input.userPrincipalName}`);
      }
      const clientId = input.clientId ?? 'test-client';
      state.consent(match.tenant.id, match.account.oid, clientId, input.scopes);
      return issueTokens({
        state,
        key,
        baseUrl,
        lifetimeSeconds: input.lifetimeSeconds ?? 3600,
        nowSeconds: Math.floor(now() / 1000),
        grant: {
          tenantId: match.tenant.id,
          oid: match.account.oid,
          clientId,
          scopes: [...input.scopes],
          claims: { capabilities: input.capabilities ?? ['CP1'], acrs: input.acrs ?? [] },
        },
      }).access_token;
    },
    approveDeviceCode(userCode, userPrincipalName) {
      const dc = [...state.deviceCodes.values()].find((d) => d.userCode === userCode && d.status === 'pending');
      const match = dc
        ? state
            .accountsFor(dc.tenantSegment)
            .find((x) => x.account.userPrincipalName.toLowerCase() === userPrincipalName.toLowerCase())
        : undefined;
      if (!dc || !match) {
        return false;
      }
      state.consent(match.tenant.id, match.account.oid, dc.clientId, dc.scopes);
      dc.status = 'approved';
      dc.grant = {
        tenantId: match.tenant.id,
        oid: match.account.oid,
        clientId: dc.clientId,
        scopes: dc.scopes,
        claims: dc.claims,
      };
      return true;
    },
    sign: (claims) => signJwt(key, claims),
    setOffline: async (value) => {
      if (value === offline) {
        return;
      }
      offline = value;
      await (value ? stop() : listen(port));
    },
    close: async () => {
      if (!offline) {
        await stop();
      }
    },
  };
}

export { graphResource };
export type { JwkSet };
