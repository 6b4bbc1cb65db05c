import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAppRuntime } from '../../../electron/app/runtime';
import type { IdentityHostHooks } from '../../../electron/app/identity-wiring';
import { createAutoConsentBrowser, createKeyedProtection } from '../../../electron/services/identity/index';
import { startDemoCloud } from '../../../emulators/graph/demo';
import { assertConformant, createGraphConformanceChecker } from '../../helpers/emulators/graph-conformance';

/** Every file under `dir`, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    out.push(...(e.isDirectory() ? await filesUnder(p) : [p]));
  }
  return out;
}

// Any JWT (access or ID token): header and payload both start with `{"` in base64url.
const jwtPattern = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}/;

/**
 * A whole session through the runtime, then every byte under the data folder is searched for tokens. The Electron
 * host's live mode keeps its cache (encrypted) and the session file on disk: it runs against the emulators.
 */
describe('no token in any file of the data folder after a session', () => {
  it.each<{ name: string; mode: 'demo' | 'live'; hooks: IdentityHostHooks }>([
    { name: 'browser shell, demo (memory cache)', mode: 'demo', hooks: {} },
    {
      name: 'Electron host, live (encrypted file cache and session file)',
      mode: 'live',
      hooks: { cacheProtection: createKeyedProtection(randomBytes(32)) },
    },
  ])('$name', async ({ mode, hooks }) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'psc-no-token-'));
    const cloud = await startDemoCloud({ graph: { conformance: createGraphConformanceChecker() } });
    const live = {
      authorityHost: cloud.authority.url,
      authorityCaCertPem: cloud.authority.caCertPem,
      graphUrl: cloud.graph.url,
      graphCaCertPem: cloud.graph.caCertPem,
    };
    const runtime = createAppRuntime({
      mode,
      host: hooks.cacheProtection === undefined ? 'browser' : 'electron',
      dataDir,
      demoCloud: Promise.resolve(cloud),
      liveCloud: live,
      identity: {
        ...hooks,
        openExternal: createAutoConsentBrowser({
          authorityUrl: live.authorityHost,
          caCertPem: live.authorityCaCertPem,
        }),
      },
    });
    try {
      const ok = async (channel: string, payload?: unknown) => {
        const reply = await runtime.dispatch(channel, payload);
        expect(reply).toMatchObject({ ok: true });
      };
      if (mode === 'live') {
        await ok('settings:update', { clientId: '6c0f7e1a-2b3c-4d5e-8f90-a1b2c3d4e5f6' });
      }
      await ok('account:sign-in', { tenant: 'clinique-demo.fr', access: 'fix', method: 'interactive' });
      await ok('tenant:get-overview');
      await ok('account:request-scopes', { scopes: ['Policy.ReadWrite.ConditionalAccess'] });
      await ok('tenant:get-overview');
      await runtime.close();

      const refreshTokens = [...cloud.authority.state.refreshTokens.keys()];
      expect(refreshTokens.length).toBeGreaterThan(0);
      const files = await filesUnder(dataDir);
      for (const file of files) {
        // A temporary file renamed away during the scan holds nothing at rest any more.
        const bytes = await readFile(file).catch((error: unknown) => {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
            return Buffer.alloc(0);
          }
          throw error;
        });
        const text = bytes.toString('latin1');
        expect({ file, jwt: jwtPattern.test(text) }).toEqual({ file, jwt: false });
        for (const rt of refreshTokens) {
          expect({ file, refreshToken: text.includes(rt.slice(0, 32)) }).toEqual({ file, refreshToken: false });
        }
      }
      if (hooks.cacheProtection !== undefined) {
        // The encrypted cache and the session file were written: the check above did look at them.
        expect(files.some((f) => f.endsWith('msal-cache.bin'))).toBe(true);
        expect(files.some((f) => f.endsWith('session.json'))).toBe(true);
      }
    } finally {
      await cloud.close();
      await rm(dataDir, { recursive: true, force: true });
    }
    assertConformant(cloud.graph.violations);
  });
});
