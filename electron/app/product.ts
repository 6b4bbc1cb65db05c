/** Product identity, single source for hosts and the about box. */
export const productName = 'Assistant PSC';
export const appId = 'fr.sante.psc-assistant';
/** Injected at build time by esbuild/vitest `define`; falls back for type-checking and unit tests. */
export const appVersion: string = process.env.PSC_ASSISTANT_VERSION ?? '0.1.0';
