import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AccountState } from '../../../shared/contract/account';
import { createEventBus } from '../../../electron/app/event-bus';
import { wireIdentity } from '../../../electron/app/identity-wiring';
import type { CacheProtection } from '../../../electron/services/identity/index';
import { createAutoConsentBrowser, createKeyedProtection } from '../../../electron/services/identity/index';
import { savedSessionSchema } from '../../../electron/services/identity/session-store';
import { createSettingsService } from '../../../electron/services/settings/index';
import { createLogger } from '../../../electron/services/logging/index';
import type { Emulators } from '../../helpers/emulators/index';
import { demoAdmin, startEmulators } from '../../helpers/emulators/index';

const clientId = '6c0f7e1a-2b3c-4d5e-8f90-a1b2c3d4e5f6';
const otherClientId = '9e8d7c6b-5a49-4382-9716-05f4e3d2c1b0';

/**
 * Live mode with a persistent token cache (the Electron host's protected file): quitting and starting again on the
 * same data folder brings the last active account back with the access the user chose, with no new sign-in page.
 */
describe('live mode: the session survives a restart', () => {
  let emu: Emulators;
  let dataDir: string;
  // One key for every launch, as safeStorage keeps one key per OS user.
  let protection: CacheProtection;
  const authorizeRequests: string[] = [];

  beforeAll(async () => {
    emu = await startEmulators({ authority: { autoSignIn: { userPrincipalName: demoAdmin } } });
  });
  afterAll(async () => {
    await emu.close();
  });
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'psc-session-restore-'));
    protection = createKeyedProtection(randomBytes(32));
    authorizeRequests.length = 0;
    return () => rm(dataDir, { recursive: true, force: true });
  });

  /** One launch of the app's identity wiring on `dataDir` (a fresh settings service, as a new process has). */
  const launch = async (
    options: { cacheProtection?: CacheProtection | undefined; clientId?: string; authorityHost?: string } = {},
  ) => {
    const settings = createSettingsService({ filePath: join(dataDir, 'settings.json'), logger: createLogger('test') });
    if ((await settings.get()).clientId === undefined || options.clientId !== undefined) {
      await settings.update({ clientId: options.clientId ?? clientId });
    }
    const openBrowser = createAutoConsentBrowser({
      authorityUrl: emu.authority.url,
      caCertPem: emu.authority.caCertPem,
    });
    const states: AccountState[] = [];
    const bus = createEventBus((event, error) => {
      throw new Error(`${event}: ${String(error)}`);
    });
    bus.subscribe((event, payload) => {
      if (event === 'account:changed') {
        states.push(payload as AccountState);
      }
    });
    const identity = wireIdentity({
      mode: 'live',
      dataDir,
      bus,
      settings,
      hooks: {
        openExternal: (url) => {
          authorizeRequests.push(url);
          return openBrowser(url);
        },
        ...(options.cacheProtection === undefined ? {} : { cacheProtection: options.cacheProtection }),
      },
      liveCloud: {
        authorityHost: options.authorityHost ?? emu.authority.url,
        authorityCaCertPem: emu.authority.caCertPem,
        graphUrl: emu.graph.url,
        graphCaCertPem: emu.graph.caCertPem,
      },
    });
    return { identity, states, settings };
  };

  it('brings the active account back with fix access; Graph reads work without a sign-in page', async () => {
    const first = await launch({ cacheProtection: protection });
    const signedIn = await first.identity.handlers['account:sign-in']({
      tenant: 'clinique-demo.fr',
      access: 'fix',
      method: 'interactive',
    });
    expect(signedIn.access).toBe('fix');
    expect(authorizeRequests).toHaveLength(1);
    await first.identity.close();

    const second = await launch({ cacheProtection: protection });
    const restored = await second.identity.handlers['account:get-state'](undefined);
    expect(restored.active).toEqual(signedIn.active);
    expect(restored.access).toBe('fix');
    expect(restored.accounts).toEqual(signedIn.accounts);
    const overview = await second.identity.handlers['tenant:get-overview'](undefined);
    expect(overview.displayName).toBe('Clinique Démo Saint-Martin');
    const { account } = await second.identity.graphForActiveAccount();
    expect(account.homeAccountId).toBe(signedIn.active?.homeAccountId);
    // The authority never showed a page again: tokens came from the protected cache.
    expect(authorizeRequests).toHaveLength(1);

    // The session file names the account, never a token.
    const saved = savedSessionSchema.parse(
      JSON.parse(await readFile(join(dataDir, 'identity', 'session.json'), 'utf8')),
    );
    expect(saved.active).toEqual({
      homeAccountId: signedIn.active?.homeAccountId,
      tenantId: signedIn.active?.tenantId,
    });
    await second.identity.close();
  });

  it('shows the saved account while the authority is unreachable, and keeps it for the next start', async () => {
    const first = await launch({ cacheProtection: protection });
    const signedIn = await first.identity.handlers['account:sign-in']({
      tenant: 'clinique-demo.fr',
      access: 'fix',
      method: 'interactive',
    });
    await first.identity.close();

    // Nothing listens on port 1: the tenant's metadata cannot be fetched, as on a machine started offline.
    const offline = await launch({ cacheProtection: protection, authorityHost: 'https://127.0.0.1:1' });
    const shown = await offline.identity.handlers['account:get-state'](undefined);
    expect(shown.active).toEqual(signedIn.active);
    expect(shown.access).toBe('fix');
    await expect(offline.identity.handlers['tenant:get-overview'](undefined)).rejects.toMatchObject({
      code: 'identity.offline',
    });
    await offline.identity.close();

    const online = await launch({ cacheProtection: protection });
    const restored = await online.identity.handlers['account:get-state'](undefined);
    expect(restored.active).toEqual(signedIn.active);
    expect((await online.identity.handlers['tenant:get-overview'](undefined)).displayName).toBe(
      'Clinique Démo Saint-Martin',
    );
    expect(authorizeRequests).toHaveLength(1);
    await online.identity.close();
  });

  it('restores nothing after a sign-out', async () => {
    const first = await launch({ cacheProtection: protection });
    await first.identity.handlers['account:sign-in']({
      tenant: 'clinique-demo.fr',
      access: 'fix',
      method: 'interactive',
    });
    const out = await first.identity.handlers['account:sign-out'](undefined);
    expect(out.active).toBeNull();
    await first.identity.close();

    const second = await launch({ cacheProtection: protection });
    const state = await second.identity.handlers['account:get-state'](undefined);
    expect(state).toMatchObject({ active: null, access: null, accounts: [] });
    await expect(second.identity.graphForActiveAccount()).rejects.toMatchObject({ code: 'identity.no-account' });
    await second.identity.close();
  });

  it('restores nothing when the token cache is unreadable (other key, other machine)', async () => {
    const first = await launch({ cacheProtection: protection });
    await first.identity.handlers['account:sign-in']({
      tenant: 'clinique-demo.fr',
      access: 'read',
      method: 'interactive',
    });
    await first.identity.close();

    const second = await launch({ cacheProtection: createKeyedProtection(randomBytes(32)) });
    const state = await second.identity.handlers['account:get-state'](undefined);
    expect(state).toMatchObject({ active: null, access: null, accounts: [] });
    const saved = savedSessionSchema.parse(
      JSON.parse(await readFile(join(dataDir, 'identity', 'session.json'), 'utf8')),
    );
    expect(saved).toMatchObject({ active: null, accounts: [] });
    await second.identity.close();
  });

  it('ignores a session saved for another client ID, and a damaged session file', async () => {
    const first = await launch({ cacheProtection: protection });
    await first.identity.handlers['account:sign-in']({
      tenant: 'clinique-demo.fr',
      access: 'fix',
      method: 'interactive',
    });
    await first.identity.close();

    // The client ID was edited while the app was closed: the other registration's tokens are of no use.
    const second = await launch({ cacheProtection: protection, clientId: otherClientId });
    expect((await second.identity.handlers['account:get-state'](undefined)).active).toBeNull();
    await second.identity.close();

    await writeFile(join(dataDir, 'identity', 'session.json'), '{"version":1,"clientId":');
    const third = await launch({ cacheProtection: protection, clientId });
    expect((await third.identity.handlers['account:get-state'](undefined)).active).toBeNull();
    await third.identity.close();
  });
});
