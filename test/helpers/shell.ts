import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppRuntime } from '../../electron/app/runtime';
import type { AppRuntime, RuntimeOptions } from '../../electron/app/runtime';
import { startBrowserShell } from '../../electron/hosts/browser/server';
import type { BrowserShell } from '../../electron/hosts/browser/server';
import { silentLogger } from '../../shared/logging';

export const repoRoot = join(import.meta.dirname, '..', '..');
export const rendererDir = join(repoRoot, 'dist', 'renderer');

/** Build the renderer and entry points when a source is newer than the last build. */
export function ensureBuilt(): void {
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs'), '--if-stale'], { stdio: 'inherit' });
}

export type RunningShell = { shell: BrowserShell; runtime: AppRuntime; dataDir: string; close(): Promise<void> };

/** A real browser shell over a real runtime, in a throwaway data folder. */
export async function startTestShell(
  options: { secret?: string; runtime?: Partial<RuntimeOptions> } = {},
): Promise<RunningShell> {
  const dataDir = await mkdtemp(join(tmpdir(), 'psc-shell-'));
  const runtime = createAppRuntime({ mode: 'demo', host: 'browser', dataDir, ...options.runtime });
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
    },
  };
}
