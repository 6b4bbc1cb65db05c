/**
 * Resolves a tenant (id or verified domain) to its OpenID configuration and builds the MSAL authority settings, so
 * MSAL needs no network discovery of its own (`authorityMetadata`, `cloudDiscoveryMetadata`, `knownAuthorities`).
 */
import type { INetworkModule } from '@azure/msal-node';
import { z } from 'zod';
import { AppError } from '../../../shared/errors';

/** Where sign-in happens: the public cloud or the emulated authority. */
export type CloudSettings = {
  /** `https://login.microsoftonline.com` or the emulator's base URL. */
  readonly authorityHost: string;
  /** Emulator CA (PEM); omit in live mode. */
  readonly caCertPem?: string | undefined;
};

const openIdSchema = z.object({
  issuer: z.string(),
  authorization_endpoint: z.string(),
  token_endpoint: z.string(),
  jwks_uri: z.string(),
  end_session_endpoint: z.string().optional(),
});

/** Resolved tenant settings for one MSAL client. */
export type TenantAuthority = {
  readonly tenantId: string;
  readonly authority: string;
  readonly authorityMetadata: string;
  readonly cloudDiscoveryMetadata: string;
  readonly knownAuthorities: string[];
};

const tenantPattern = /^[a-z0-9.-]{1,253}$/i;

/** Fetches the tenant's OpenID configuration and returns MSAL authority settings. */
export async function resolveTenantAuthority(
  cloud: CloudSettings,
  tenant: string,
  network: INetworkModule,
): Promise<TenantAuthority> {
  if (!tenantPattern.test(tenant)) {
    throw new AppError('identity.tenant-not-found', { details: { tenant } });
  }
  const host = new URL(cloud.authorityHost);
  let response;
  try {
    response = await network.sendGetRequestAsync<unknown>(
      `${host.origin}/${tenant}/v2.0/.well-known/openid-configuration`,
    );
  } catch (cause) {
    throw new AppError('identity.offline', { details: { host: host.host }, cause });
  }
  const parsed = openIdSchema.safeParse(response.body);
  if (response.status !== 200 || !parsed.success) {
    throw new AppError('identity.tenant-not-found', { details: { tenant, status: response.status } });
  }
  // Multi-tenant endpoints (`organizations`) publish a `{tenantid}` placeholder issuer.
  const generic = parsed.data.issuer.includes('{tenantid}') ? tenant.toLowerCase() : undefined;
  const tenantId = generic ?? /\/([0-9a-f-]{36})\/v2\.0\/?$/i.exec(parsed.data.issuer)?.[1];
  if (!tenantId) {
    throw new AppError('identity.tenant-not-found', { details: { tenant, issuer: parsed.data.issuer } });
  }
  const metadata = { ...(response.body as Record<string, unknown>) };
  return {
    tenantId,
    authority: `${host.origin}/${tenantId}`,
    authorityMetadata: JSON.stringify(metadata),
    cloudDiscoveryMetadata: JSON.stringify({
      tenant_discovery_endpoint: `${host.origin}/${tenantId}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host.host, preferred_cache: host.host, aliases: [host.host] }],
    }),
    knownAuthorities: [host.host],
  };
}
