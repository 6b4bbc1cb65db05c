import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdentityService } from '../../../electron/services/identity/index';
import {
  createIdentityService,
  createKeyedProtection,
  createMemoryCacheStore,
} from '../../../electron/services/identity/index';
import { loopbackOf } from '../../../electron/services/identity/sign-in-control';
import { AppError } from '../../../shared/errors';
import type { Emulators } from '../../helpers/emulators/index';
import { startEmulators } from '../../helpers/emulators/index';

/** Whether anything still listens on the loopback redirect of an authorize URL. */
async function isListening(authorizeUrl: string): Promise<boolean> {
  const target = loopbackOf(authorizeUrl);
  if (!target) {
    throw new Error('no loopback redirect in the authorize URL');
  }
  try {
    const res = await fetch(target.redirect, { signal: AbortSignal.timeout(5000) });
    await res.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

describe('sign-in never hangs: timeout and cancellation', () => {
  let emu: Emulators;
  const make = (openBrowser: (url: string) => Promise<void>, signInTimeoutMs?: number): IdentityService =>
    createIdentityService({
      clientId: '0d9a1c55-7d4e-4f0b-9a3c-5e6f7a8b9c0d',
      cloud: { authorityHost: emu.authority.url, caCertPem: emu.authority.caCertPem },
      openBrowser,
      cacheStore: createMemoryCacheStore(),
      cacheProtection: createKeyedProtection(randomBytes(32)),
      ...(signInTimeoutMs === undefined ? {} : { signInTimeoutMs }),
    });

  beforeAll(async () => {
    emu = await startEmulators();
  });
  afterAll(async () => {
    await emu.close();
  });

  it('times out an interactive sign-in nobody completes and closes the loopback listener', async () => {
    const opened: string[] = [];
    const identity = make((url) => {
      opened.push(url);
      return Promise.resolve();
    }, 1500);
    const error: unknown = await identity
      .signInInteractive({ tenant: 'clinique-demo.fr', scopes: ['User.Read.All'] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('identity.timeout');
    expect(opened.length).toBe(1);
    await expect.poll(() => isListening(opened[0] ?? '')).toBe(false);
  });

  it('is released by the timeout even when the browser opener itself never returns', async () => {
    const identity = make(() => new Promise<void>(() => undefined), 1000);
    await expect(
      identity.signInInteractive({ tenant: 'clinique-demo.fr', scopes: ['User.Read.All'] }),
    ).rejects.toMatchObject({ code: 'identity.timeout' });
  });

  it('cancels an interactive sign-in on request and closes the loopback listener', async () => {
    let opened = '';
    const holder: { identity?: IdentityService } = {};
    const identity = make((url) => {
      opened = url;
      // The user gives up while the browser shows the page.
      setTimeout(() => holder.identity?.cancelSignIn(), 50);
      return Promise.resolve();
    });
    holder.identity = identity;
    await expect(
      identity.signInInteractive({ tenant: 'clinique-demo.fr', scopes: ['User.Read.All'] }),
    ).rejects.toMatchObject({ code: 'identity.cancelled' });
    await expect.poll(() => isListening(opened)).toBe(false);
    expect(identity.cancelSignIn()).toBe(0);
  });

  it('cancels a device-code sign-in (MSAL stops polling) and the code is never redeemed', async () => {
    const identity = make(() => Promise.resolve());
    let userCode = '';
    const pending = identity.signInWithDeviceCode({
      tenant: 'clinique-demo.fr',
      scopes: ['User.Read.All'],
      onPrompt: (p) => {
        userCode = p.userCode;
        expect(identity.cancelSignIn()).toBe(1);
      },
    });
    await expect(pending).rejects.toMatchObject({ code: 'identity.cancelled' });
    expect(userCode).not.toBe('');
    // Approving afterwards yields nothing to the app: no account appears.
    emu.authority.approveDeviceCode(userCode, 'camille.admin@clinique-demo.fr');
    expect(await identity.listAccounts()).toEqual([]);
  });
});
