import { safeStorage } from 'electron';
import type { CacheProtection } from '../../services/identity/cache';
import { AppError } from '../../../shared/errors';

/**
 * Token-cache protection with the OS keychain through Electron `safeStorage` (DPAPI, Keychain, libsecret).
 * Undefined when no keychain backs it (Linux without a secret service): the cache then stays in memory.
 */
export function safeStorageProtection(): CacheProtection | undefined {
  if (!safeStorage.isEncryptionAvailable() || safeStorage.getSelectedStorageBackend() === 'basic_text') {
    return undefined;
  }
  return {
    protect: (plain) => Promise.resolve(new Uint8Array(safeStorage.encryptString(Buffer.from(plain).toString('utf8')))),
    unprotect: (blob) => {
      try {
        return Promise.resolve(new Uint8Array(Buffer.from(safeStorage.decryptString(Buffer.from(blob)), 'utf8')));
      } catch (cause) {
        return Promise.reject(new AppError('identity.cache-protection', { cause }));
      }
    },
  };
}
