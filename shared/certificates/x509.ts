/**
 * The one entry point to `@peculiar/x509` in the pure layer.
 *
 * The library resolves its algorithm providers through tsyringe, which needs the Reflect metadata polyfill loaded
 * first; importing it here (before the library) keeps every consumer correct whatever its import order.
 */
import 'reflect-metadata';

export * as x509 from '@peculiar/x509';
