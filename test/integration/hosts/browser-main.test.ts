import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { request as playwrightRequest } from 'playwright-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ensureBuilt, repoRoot } from '../../helpers/shell';

type Started = { child: ChildProcessByStdio<null, Readable, null>; origin: string; url: string };

/** Start the built browser shell (`dist/browser/main.mjs --no-open`) on a data folder; resolves on its ready line. */
function startShell(dataDir: string, args: readonly string[]): Promise<Started> {
  const child = spawn(process.execPath, [join(repoRoot, 'dist', 'browser', 'main.mjs'), '--no-open', ...args], {
    env: { ...process.env, PSC_ASSISTANT_DATA_DIR: dataDir, PSC_ASSISTANT_BROWSER: 'none' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const line = buffered.split('\n').find((candidate) => candidate.includes('"ready"'));
      if (line !== undefined) {
        const ready = JSON.parse(line) as { origin: string; url: string };
        resolve({ child, origin: ready.origin, url: ready.url });
      }
    });
    child.once('exit', (code) => {
      reject(new Error(`browser shell exited with ${String(code)}`));
    });
  });
}

/** The mode the running shell reports over its contract (`app:get-info`), signed in like a browser would be. */
async function reportedMode(started: Started): Promise<unknown> {
  const browserLike = await playwrightRequest.newContext();
  try {
    await browserLike.get(started.url);
    const cookie = (await browserLike.storageState()).cookies.map((entry) => `${entry.name}=${entry.value}`).join('; ');
    const socket = new WebSocket(`${started.origin.replace(/^http/, 'ws')}/ws`, {
      headers: { Origin: started.origin, Cookie: cookie },
    });
    return await new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.once('open', () => {
        socket.send(JSON.stringify({ kind: 'invoke', id: 1, channel: 'app:get-info' }));
      });
      socket.once('message', (data: Buffer) => {
        const reply = JSON.parse(data.toString('utf8')) as { result?: { value?: { mode?: unknown } } };
        socket.close();
        resolve(reply.result?.value?.mode);
      });
    });
  } finally {
    await browserLike.dispose();
  }
}

describe('browser shell entry point (dist/browser/main.mjs)', () => {
  let dataDir: string | undefined;
  let running: Started | undefined;

  beforeAll(() => {
    ensureBuilt();
  });

  afterEach(async () => {
    const current = running;
    running = undefined;
    if (current?.child.exitCode === null) {
      const exited = new Promise((resolve) => current.child.once('exit', resolve));
      current.child.kill('SIGTERM');
      await exited;
    }
    if (dataDir !== undefined) {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it.each([
    ['no saved mode, no flag', undefined, [], 'demo'],
    ['live saved in Paramètres', 'live', [], 'live'],
    ['live saved, --demo on the command line', 'live', ['--demo'], 'demo'],
    ['demo saved, --live on the command line', 'demo', ['--live'], 'live'],
  ] as const)('starts in the right mode: %s', async (_label, saved, args, expected) => {
    dataDir = await mkdtemp(join(tmpdir(), 'psc-browser-main-'));
    if (saved !== undefined) {
      await writeFile(join(dataDir, 'preferences.json'), JSON.stringify({ version: 1, mode: saved }));
    }

    running = await startShell(dataDir, args);

    expect(await reportedMode(running)).toBe(expected);
  });
});
