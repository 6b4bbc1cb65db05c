import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAppRuntime } from '../../../electron/app/runtime';
import type { IdentityHostHooks } from '../../../electron/app/identity-wiring';
import { createKeyedProtection } from '../../../electron/services/identity/index';
import { startDemoCloud } from '../../../emulators/graph/demo';
import { assertConformant, createGraphConformanceChecker } from '../../helpers/emulators/graph-conformance';

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

/** A whole demo session through the runtime, then every byte under the data folder is searched for tokens. */
describe('no token in any file of the data folder after a demo session', () => {
  it.each<{ name: string; hooks: IdentityHostHooks }>([
    { name: 'browser shell (memory cache)', hooks: {} },
    {
      name: 'Electron host (encrypted file cache)',
      hooks: { cacheProtection: createKeyedProtection(randomBytes(32)) },
    },
  ])('$name', async ({ hooks }) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'psc-no-token-'));
    const cloud = await startDemoCloud({ graph: { conformance: createGraphConformanceChecker() } });
    const runtime = createAppRuntime({
      mode: 'demo',
      host: hooks.cacheProtection === undefined ? 'browser' : 'electron',
      dataDir,
      demoCloud: Promise.resolve(cloud),
      identity: hooks,
    });
    try {
      const ok = async (channel: string, payload?: unknown) => {
        const reply = await runtime.dispatch(channel, payload);
        expect(reply).toMatchObject({ ok: true });
      };
      await ok('account:sign-in', { tenant: 'clinique-demo.fr', access: 'fix', method: 'interactive' });
      await ok('tenant:get-overview');
      await ok('account:request-scopes', { scopes: ['Policy.ReadWrite.ConditionalAccess'] });
      await ok('tenant:get-overview');
      await runtime.close();

      const refreshTokens = [...cloud.authority.state.refreshTokens.keys()];
      expect(refreshTokens.length).toBeGreaterThan(0);
      const files = await filesUnder(dataDir);
      for (const file of files) {
        const text = (await readFile(file)).toString('latin1');
        expect({ file, jwt: jwtPattern.test(text) }).toEqual({ file, jwt: false });
        for (const rt of refreshTokens) {
          expect({ file, refreshToken: text.includes(rt.slice(0, 32)) }).toEqual({ file, refreshToken: false });
        }
      }
      if (hooks.cacheProtection !== undefined) {
        // The encrypted cache was written: the check above did look at it.
        expect(files.some((f) => f.endsWith('msal-cache.bin'))).toBe(true);
      }
    } finally {
      await cloud.close();
      await rm(dataDir, { recursive: true, force: true });
    }
    assertConformant(cloud.graph.violations);
  });
});
