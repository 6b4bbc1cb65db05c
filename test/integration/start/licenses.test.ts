import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageDirOf } from '../../../scripts/lib/licenses.mjs';

const root = join(import.meta.dirname, '..', '..', '..');

describe('third-party notices', () => {
  it.each([
    ['/repo/node_modules/react/index.js', 'node_modules/react'],
    ['/repo/node_modules/@azure/msal-node/dist/index.mjs', 'node_modules/@azure/msal-node'],
    ['C:\\repo\\node_modules\\zod\\v4\\index.js', 'node_modules/zod'],
    ['/repo/node_modules/a/node_modules/b/lib/x.js', 'node_modules/a/node_modules/b'],
    ['\0/repo/node_modules/react/jsx-runtime.js?commonjs-proxy', 'node_modules/react'],
    ['/repo/renderer/src/main.tsx', undefined],
  ])('names the package of a bundled file: %s', (file, expected) => {
    expect(packageDirOf(file)).toBe(expected);
  });

  // npm test builds before the integration suite: the notices that ship with the app are the ones checked.
  it('lists the packages compiled into the bundles (devDependencies) and not the build tools', () => {
    const notices = readFileSync(join(root, 'dist', 'THIRD_PARTY_LICENSES.txt'), 'utf8');
    // Each section opens with « name version — licence ».
    const listed = new Set([...notices.matchAll(/^(\S+) \d[^ ]* — /gm)].map((match) => match[1]));
    for (const shipped of ['react-dom', '@fluentui/react-button', 'zod', '@azure/msal-node', 'better-sqlite3']) {
      expect(listed.has(shipped), shipped).toBe(true);
    }
    for (const tool of ['vitest', 'esbuild', 'playwright-core', 'typescript-eslint', 'vite']) {
      expect(listed.has(tool), tool).toBe(false);
    }
  });
});
