/**
 * Entra role template ids the desk names when a write is refused (public, stable values).
 */

/** Role template ids. */
export const roleTemplateIds = {
  privilegedAuthenticationAdministrator: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
} as const;
