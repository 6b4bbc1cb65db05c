/** The IPC contract shared by both hosts and the renderer. */
export * from './account';
export * from './bulk';
export * from './cards';
export * from './channels';
export * from './events';
export * from './enrollment';
export * from './envelope';
export * from './schemas';
export * from './client';
export * from './dispatcher';
export * from './wire';
