import { seedTenantIdentities } from '../../emulators/graph';

/**
 * Microsoft's cloud as demo mode sees it: the authority and Graph emulators on loopback HTTPS, the authority
 * signing the `clinique-demo` administrator in without a page (see `emulators/graph/demo.ts`).
 */
export { startDemoCloud } from '../../emulators/graph/demo';
export type { DemoCloud } from '../../emulators/graph/demo';

/** Client id of the demo app registration (any GUID: the emulated authority accepts it). */
export const demoClientId = '3f1d9c2b-6a5e-4c7d-9b8a-0e1f2a3b4c5d';

/** Domain suggested on the sign-in form in demo mode. */
export const demoTenantDomain =
  seedTenantIdentities.find((tenant) => tenant.key === 'clinique-demo')?.domain ?? 'clinique-demo.fr';
