import { z } from 'zod';
import type { TenantOverview } from '../../../shared/contract/account';
import { AppError } from '../../../shared/errors';
import type { GraphService } from '../graph';

const organizationSchema = z.object({
  value: z
    .array(
      z.object({
        id: z.string(),
        displayName: z.string().nullable(),
        verifiedDomains: z.array(z.object({ name: z.string() })).default([]),
      }),
    )
    .min(1),
});
const countSchema = z.object({ '@odata.count': z.number().int().nonnegative() });
const methodSchema = z.object({ state: z.string().nullable().optional() });

/** What the app reads first about a tenant, before any checklist. */
export interface TenantService {
  overview(): Promise<TenantOverview>;
}

/** Settle a read that may be refused (missing scope) without failing the whole overview. */
async function optional<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof AppError && (error.code === 'graph.forbidden' || error.code === 'graph.not-found')) {
      return null;
    }
    throw error;
  }
}

/**
 * Tenant overview: organization, user count, state of the X.509 method, number of conditional-access policies.
 * Every payload is validated; a part the account may not read shows as unknown instead of failing the rest.
 */
export function createTenantService(graph: GraphService): TenantService {
  return {
    async overview() {
      const organization = organizationSchema.parse(
        await graph.get('/organization?$select=id,displayName,verifiedDomains'),
      );
      const org = organization.value[0];
      if (org === undefined) {
        throw new AppError('graph.not-found', { details: { resource: 'organization' } });
      }
      const [users, x509, policies] = await Promise.all([
        optional(async () =>
          countSchema.parse(await graph.get('/users?$count=true&$top=1&$select=id', { advancedQuery: true })),
        ),
        optional(async () =>
          methodSchema.parse(
            await graph.get('/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/x509Certificate'),
          ),
        ),
        optional(async () => {
          let count = 0;
          for await (const _policy of graph.items('/identity/conditionalAccess/policies?$select=id')) {
            count++;
          }
          return count;
        }),
      ]);
      return {
        tenantId: org.id,
        displayName: org.displayName ?? org.id,
        domains: org.verifiedDomains.map((domain) => domain.name),
        userCount: users?.['@odata.count'] ?? null,
        x509State: x509?.state === 'enabled' ? 'enabled' : x509?.state === 'disabled' ? 'disabled' : 'unknown',
        conditionalAccessPolicyCount: policies,
      };
    },
  };
}
