import { z } from 'zod';

/** Sign-in and tenant shapes. */

export const accessModeSchema = z.enum(['read', 'fix']);
export type AccessMode = z.infer<typeof accessModeSchema>;

export const accountSchema = z.object({
  homeAccountId: z.string(),
  tenantId: z.string(),
  username: z.string(),
  name: z.string(),
  /** Tenant as typed at sign-in (domain or id): tells a guest tenant from the home one in the chip and menu. */
  tenantLabel: z.string().optional(),
});
export type AccountView = z.infer<typeof accountSchema>;

export const accountStateSchema = z.object({
  accounts: z.array(accountSchema),
  active: accountSchema.nullable(),
  /** Whether write scopes were granted for the active account (fix or enroll). */
  access: accessModeSchema.nullable(),
  /** Tenant suggested on the sign-in form (demo: the demo clinic). */
  suggestedTenant: z.string().nullable(),
});
export type AccountState = z.infer<typeof accountStateSchema>;

export const signInInputSchema = z
  .object({
    /** Tenant id (GUID) or verified domain. */
    tenant: z
      .string()
      .trim()
      .min(3)
      .max(253)
      .regex(/^[a-z0-9.-]+$/i),
    access: accessModeSchema,
    method: z.enum(['interactive', 'device-code']),
  })
  .strict();
export type SignInInput = z.infer<typeof signInInputSchema>;

/** A delegated Graph scope name (`User.ReadWrite.All`) or an OIDC scope. */
const scopeNameSchema = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[A-Za-z][A-Za-z0-9._-]*$/);

/**
 * Incremental consent or conditional-access step-up for the active account: only these scopes, and the claims of the
 * challenge when one was met (decoded JSON, as Graph's `WWW-Authenticate` carried it).
 */
export const requestScopesInputSchema = z
  .object({
    scopes: z.array(scopeNameSchema).min(1).max(30),
    claims: z.string().min(2).max(8000).optional(),
  })
  .strict();
export type RequestScopesInput = z.infer<typeof requestScopesInputSchema>;

export const deviceCodePromptSchema = z.object({
  userCode: z.string(),
  verificationUri: z.string(),
  expiresInSeconds: z.number(),
});
export type DeviceCodePromptView = z.infer<typeof deviceCodePromptSchema>;

export const tenantOverviewSchema = z.object({
  tenantId: z.string(),
  displayName: z.string(),
  domains: z.array(z.string()),
  userCount: z.number().int().nonnegative().nullable(),
  x509State: z.enum(['enabled', 'disabled', 'unknown']),
  conditionalAccessPolicyCount: z.number().int().nonnegative().nullable(),
});
export type TenantOverview = z.infer<typeof tenantOverviewSchema>;
