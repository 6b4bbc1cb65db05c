import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppRuntime } from '../../electron/app/runtime';
import type { AppRuntime, RuntimeOptions } from '../../electron/app/runtime';
import { startBrowserShell } from '../../electron/hosts/browser/server';
import type { BrowserShell } from '../../electron/hosts/browser/server';
import { silentLogger } from '../../shared/logging';
import { startDemoCloud } from '../../emulators/graph/demo';
import { assertConformant, createGraphConformanceChecker } from './emulators/graph-conformance';
import { conformanceWanted } from './emulators/index';

export const repoRoot = join(import.meta.dirname, '..', '..');
export const rendererDir = join(repoRoot, 'dist', 'renderer');

/** Build the renderer and entry points when a source is newer than the last build. */
export function ensureBuilt(): void {
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs'), '--if-stale'], { stdio: 'inherit' });
}

export type RunningShell = { shell: BrowserShell; runtime: AppRuntime; dataDir: string; close(): Promise<void> };

/**
 * A real browser shell over a real runtime, in a throwaway data folder. In demo mode the helper starts the demo
 * cloud itself with Graph schema conformance on (unless `conformance: false` or a `runtime.demoCloud` is given);
 * `close()` fails on any finding.
 */
export async function startTestShell(
  options: { secret?: string; runtime?: Partial<RuntimeOptions>; conformance?: boolean } = {},
): Promise<RunningShell> {
  const dataDir = await mkdtemp(join(tmpdir(), 'psc-shell-'));
  const checked =
    (options.runtime?.mode ?? 'demo') === 'demo' &&
    options.runtime?.demoCloud === undefined &&
    conformanceWanted(options.conformance)
      ? startDemoCloud({ graph: { conformance: createGraphConformanceChecker() } })
      : undefined;
  const runtime = createAppRuntime({
    mode: 'demo',
    host: 'browser',
    dataDir,
    // A mode chosen in Paramètres is saved beside the data; keep it in the throwaway folder, not in /tmp.
    preferenceDir: dataDir,
    ...(checked === undefined ? {} : { demoCloud: checked }),
    ...options.runtime,
  });
  const shell = await startBrowserShell({
    runtime,
    rendererDir,
    logger: silentLogger,
    ...(options.secret === undefined ? {} : { secret: options.secret }),
  });
  return {
    shell,
    runtime,
    dataDir,
    async close() {
      await shell.close();
      await runtime.close();
      await rm(dataDir, { recursive: true, force: true });
      if (checked !== undefined) {
        const cloud = await checked;
        await cloud.close();
        assertConformant(cloud.graph.violations);
      }
    },
  };
}
