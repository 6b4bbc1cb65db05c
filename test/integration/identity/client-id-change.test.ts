import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountState } from '../../../shared/contract/account';
import { createEventBus } from '../../../electron/app/event-bus';
import { wireIdentity } from '../../../electron/app/identity-wiring';
import { createAutoConsentBrowser } from '../../../electron/services/identity/index';
import { createSettingsService } from '../../../electron/services/settings/index';
import type { SettingsService } from '../../../electron/services/settings/index';
import { createLogger } from '../../../electron/services/logging/index';
import type { Emulators } from '../../helpers/emulators/index';
import { demoAdmin, startEmulators } from '../../helpers/emulators/index';

const firstClientId = '6c0f7e1a-2b3c-4d5e-8f90-a1b2c3d4e5f6';
const secondClientId = '9e8d7c6b-5a49-4382-9716-05f4e3d2c1b0';

/** Live mode with the establishment's own app registration: changing the client ID takes effect without a restart. */
describe('live mode: the client ID is a setting', () => {
  let emu: Emulators;
  let dataDir: string;
  let settings: SettingsService;
  let identity: ReturnType<typeof wireIdentity>;
  const states: AccountState[] = [];
  const tokenClients: string[] = [];

  beforeAll(async () => {
    emu = await startEmulators({ authority: { autoSignIn: { userPrincipalName: demoAdmin } } });
    dataDir = await mkdtemp(join(tmpdir(), 'psc-client-id-'));
    settings = createSettingsService({ filePath: join(dataDir, 'settings.json'), logger: createLogger('test') });
    await settings.update({ clientId: firstClientId });
    const bus = createEventBus((event, error) => {
      throw new Error(`${event}: ${String(error)}`);
    });
    bus.subscribe((event, payload) => {
      if (event === 'account:changed') {
        states.push(payload as AccountState);
      }
    });
    const openBrowser = createAutoConsentBrowser({
      authorityUrl: emu.authority.url,
      caCertPem: emu.authority.caCertPem,
    });
    identity = wireIdentity({
      mode: 'live',
      dataDir,
      bus,
      settings,
      hooks: {
        openExternal: (url) => {
          tokenClients.push(new URL(url).searchParams.get('client_id') ?? '');
          return openBrowser(url);
        },
      },
      liveCloud: {
        authorityHost: emu.authority.url,
        authorityCaCertPem: emu.authority.caCertPem,
        graphUrl: emu.graph.url,
        graphCaCertPem: emu.graph.caCertPem,
      },
    });
  });
  afterAll(async () => {
    await identity.close();
    await emu.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const signIn = () =>
    identity.handlers['account:sign-in']({ tenant: 'clinique-demo.fr', access: 'read', method: 'interactive' });

  it('signs in with the configured registration, then with the new one once the setting changes', async () => {
    const first = await signIn();
    expect(first.active?.username).toBe(demoAdmin);
    expect(tokenClients).toEqual([firstClientId]);
    const overview = await identity.handlers['tenant:get-overview'](undefined);
    expect(overview.displayName).toBe('Clinique Démo Saint-Martin');

    await settings.update({ clientId: secondClientId });
    await expect.poll(() => states.at(-1)?.accounts.length).toBe(0);
    // The old registration's account is signed out, not left to fail silently on its next token.
    expect((await identity.handlers['account:get-state'](undefined)).active).toBeNull();
    await expect(identity.graphForActiveAccount()).rejects.toMatchObject({ code: 'identity.no-account' });

    const second = await signIn();
    expect(second.active?.username).toBe(demoAdmin);
    expect(tokenClients).toEqual([firstClientId, secondClientId]);
    const oid = second.active?.homeAccountId.split('.')[0] ?? '';
    expect(emu.authority.state.consented(second.active?.tenantId ?? '', oid, secondClientId).size).toBeGreaterThan(0);
    expect((await identity.handlers['tenant:get-overview'](undefined)).displayName).toBe('Clinique Démo Saint-Martin');
  });

  it('leaves the accounts alone when another setting changes', async () => {
    const before = (await identity.handlers['account:get-state'](undefined)).accounts.length;
    await settings.update({ cbaGroupId: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0' });
    expect((await identity.handlers['account:get-state'](undefined)).accounts.length).toBe(before);
    expect(before).toBe(1);
  });
});
