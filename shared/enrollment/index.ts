/**
 * Public API of the enrollment decision logic (pure): find the account, check uniqueness and bindings, plan the
 * write or the removal, handle synced users, key each step, read bulk files.
 */
export * from './codes';
export * from './text';
export * from './query';
export * from './user';
export * from './values';
export * from './search';
export * from './ranking';
export * from './conflicts';
export * from './bindings-schema';
export * from './bindings';
export * from './merge';
export * from './removal';
export * from './synced';
export * from './idempotency';
export * from './csv';
export * from './bulk-csv';
