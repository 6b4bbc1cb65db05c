import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdentityService } from '../../../electron/services/identity/index';
import {
  createFileCacheStore,
  createIdentityService,
  createKeyedProtection,
} from '../../../electron/services/identity/index';
import { AppError } from '../../../shared/errors';
import type { TestBrowser } from '../../helpers/emulators/browser';
import { launchChromium } from '../../helpers/emulators/browser';
import type { Emulators } from '../../helpers/emulators/index';
import { startEmulators } from '../../helpers/emulators/index';
import { claimsOf } from '../../helpers/jwt';

const clientId = '6f1c2a9e-3d4b-4c5a-8e7f-9a0b1c2d3e4f';
const demoTenant = 'clinique-demo.fr';

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    out.push(...(e.isDirectory() ? await filesUnder(p) : [p]));
  }
  return out;
}

describe('identity service against the authority emulator', () => {
  let emu: Emulators;
  let browser: TestBrowser;
  let dataDir: string;
  let key: Buffer;
  let identity: IdentityService;
  const tokensSeen: string[] = [];
  let consentPagesSeen = 0;

  /** Drives the authority's consent page like a person: pick the account, tick consent, accept. */
  const chooseAccount = (upn: string) => async (url: string) => {
    const page = await browser.context.newPage();
    try {
      await page.goto(url);
      consentPagesSeen++;
      const option = page.locator('#account option', { hasText: upn });
      await page.selectOption('#account', (await option.getAttribute('value')) ?? '');
      await page.check('#consent');
      await Promise.all([page.waitForURL(/^http:\/\/(localhost|127\.0\.0\.1):\d+\/?$/), page.click('#accept')]);
    } finally {
      await page.close();
    }
  };
  let openBrowser: (url: string) => Promise<void> = chooseAccount('camille.admin@clinique-demo.fr');

  const makeService = () =>
    createIdentityService({
      clientId,
      cloud: { authorityHost: emu.authority.url, caCertPem: emu.authority.caCertPem },
      openBrowser: (url) => openBrowser(url),
      cacheStore: createFileCacheStore(join(dataDir, 'identity', 'msal-cache.bin')),
      cacheProtection: createKeyedProtection(key),
    });

  beforeAll(async () => {
    emu = await startEmulators();
    browser = await launchChromium([emu.authority.spkiSha256Base64]);
    dataDir = await mkdtemp(join(tmpdir(), 'psc-identity-'));
    key = randomBytes(32);
    identity = makeService();
  });

  afterAll(async () => {
    await browser.close();
    await emu.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('signs in interactively through the consent page (PKCE, loopback form_post) by tenant domain', async () => {
    const account = await identity.signInInteractive({
      tenant: demoTenant,
      scopes: ['User.Read.All', 'Policy.Read.All'],
    });
    expect(account.username).toBe('camille.admin@clinique-demo.fr');
    expect(account.tenantId).toBe(emu.graph.tenant('clinique-demo').id);
    expect(identity.activeAccount()?.homeAccountId).toBe(account.homeAccountId);
  });

  it('returns a Graph token with the consented scopes, role ids and the CP1 capability', async () => {
    const token = await identity.getAccessToken({ scopes: ['User.Read.All'] });
    tokensSeen.push(token);
    const c = claimsOf(token);
    expect(c.aud).toBe('00000003-0000-0000-c000-000000000000');
    expect(String(c.scp).split(' ')).toEqual(expect.arrayContaining(['User.Read.All', 'Policy.Read.All']));
    expect(c.xms_cc).toEqual(['CP1']);
    expect(c.wids).toEqual(['62e90394-69f5-4237-9190-012177145e10']);
  });

  it('asks for write scopes only on request: silent acquisition reports identity.consent-required', async () => {
    await expect(identity.getAccessToken({ scopes: ['User.ReadWrite.All'] })).rejects.toMatchObject({
      code: 'identity.consent-required',
    });
    const before = consentPagesSeen;
    await identity.requestScopes(['User.ReadWrite.All']);
    expect(consentPagesSeen).toBe(before + 1);
    const token = await identity.getAccessToken({ scopes: ['User.ReadWrite.All'] });
    tokensSeen.push(token);
    expect(String(claimsOf(token).scp).split(' ')).toContain('User.ReadWrite.All');
  });

  it('answers a claims challenge by re-acquiring with the claims', async () => {
    const claims = JSON.stringify({ access_token: { acrs: { essential: true, value: 'c1' } } });
    const token = await identity.getAccessToken({ scopes: ['User.Read.All'], claims });
    tokensSeen.push(token);
    expect(claimsOf(token).acrs).toEqual(['c1']);
  });

  it('signs a second account in with the device code flow', async () => {
    const account = await identity.signInWithDeviceCode({
      tenant: emu.graph.tenant('clinique-demo').id,
      scopes: ['User.Read.All'],
      onPrompt: (p) => {
        void (async () => {
          const page = await browser.context.newPage();
          await page.goto(p.verificationUri);
          await page.fill('#user_code', p.userCode);
          const value = await page
            .locator('#account option', { hasText: 'lecteur@clinique-demo.fr' })
            .getAttribute('value');
          await page.selectOption('#account', value ?? '');
          await page.check('#consent');
          await page.click('#accept');
          await page.waitForSelector('#message');
          await page.close();
        })();
      },
    });
    expect(account.username).toBe('lecteur@clinique-demo.fr');
    const accounts = await identity.listAccounts();
    expect(accounts.map((a) => a.username).sort()).toEqual([
      'camille.admin@clinique-demo.fr',
      'lecteur@clinique-demo.fr',
    ]);
  });

  it('switches between accounts and tokens follow the active account', async () => {
    const admin = (await identity.listAccounts()).find((a) => a.username.startsWith('camille'));
    await identity.switchAccount(admin?.homeAccountId ?? '');
    const token = await identity.getAccessToken({ scopes: ['User.Read.All'] });
    tokensSeen.push(token);
    expect(claimsOf(token).upn).toBe('camille.admin@clinique-demo.fr');
  });

  it('reports identity.cancelled when the user cancels on the consent page', async () => {
    openBrowser = async (url) => {
      const page = await browser.context.newPage();
      await page.goto(url);
      await Promise.all([page.waitForURL(/^http:\/\/(localhost|127\.0\.0\.1)/), page.click('#cancel')]);
      await page.close();
    };
    const error: unknown = await identity
      .signInInteractive({ tenant: demoTenant, scopes: ['User.Read.All'] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('identity.cancelled');
    openBrowser = chooseAccount('camille.admin@clinique-demo.fr');
  });

  it('persists the cache encrypted: no access or refresh token appears in any written file, and a new instance reuses it', async () => {
    const files = await filesUnder(dataDir);
    expect(files.length).toBeGreaterThan(0);
    const refreshTokens = [...emu.authority.state.refreshTokens.keys()];
    expect(refreshTokens.length).toBeGreaterThan(0);
    for (const f of files) {
      const text = (await readFile(f)).toString('latin1');
      for (const secret of [...tokensSeen, ...refreshTokens]) {
        expect(text.includes(secret)).toBe(false);
        expect(text.includes(secret.slice(0, 40))).toBe(false);
      }
    }
    const again = makeService();
    const accounts = await again.listAccounts();
    expect(accounts.length).toBe(2);
    const token = await again.getAccessToken({
      scopes: ['User.Read.All'],
      homeAccountId: accounts[0]?.homeAccountId ?? '',
    });
    expect(typeof claimsOf(token).oid).toBe('string');
  });

  it('signs out one account and keeps the other', async () => {
    const reader = (await identity.listAccounts()).find((a) => a.username.startsWith('lecteur'));
    await identity.signOut(reader?.homeAccountId);
    expect((await identity.listAccounts()).map((a) => a.username)).toEqual(['camille.admin@clinique-demo.fr']);
    await expect(
      identity.getAccessToken({ scopes: ['User.Read.All'], homeAccountId: reader?.homeAccountId ?? '' }),
    ).rejects.toMatchObject({
      code: 'identity.no-account',
    });
  });

  it('holds accounts of several tenants and tokens carry the right tenant', async () => {
    openBrowser = chooseAccount('admin@chu-conforme.fr');
    const other = await identity.signInInteractive({ tenant: 'chu-conforme.fr', scopes: ['User.Read.All'] });
    openBrowser = chooseAccount('camille.admin@clinique-demo.fr');
    expect(other.tenantId).toBe(emu.graph.tenant('conforme').id);
    const tenants = new Set((await identity.listAccounts()).map((a) => a.tenantId));
    expect(tenants).toEqual(new Set([emu.graph.tenant('conforme').id, emu.graph.tenant('clinique-demo').id]));
    const token = await identity.getAccessToken({ scopes: ['User.Read.All'], homeAccountId: other.homeAccountId });
    expect(claimsOf(token).tid).toBe(emu.graph.tenant('conforme').id);
  });

  it('rejects an unknown tenant with identity.tenant-not-found', async () => {
    await expect(
      identity.signInInteractive({ tenant: 'inconnu.example', scopes: ['User.Read.All'] }),
    ).rejects.toMatchObject({
      code: 'identity.tenant-not-found',
    });
  });
});
