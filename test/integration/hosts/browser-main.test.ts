import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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

type Contract = { invoke(channel: string, payload?: unknown): Promise<unknown>; close(): Promise<void> };

/** A contract client on the running shell, signed in as a browser would be (launch URL, then the cookie). */
async function connect(started: Started): Promise<Contract> {
  const browserLike = await playwrightRequest.newContext();
  await browserLike.get(started.url);
  const cookie = (await browserLike.storageState()).cookies.map((entry) => `${entry.name}=${entry.value}`).join('; ');
  await browserLike.dispose();
  const socket = new WebSocket(`${started.origin.replace(/^http/, 'ws')}/ws`, {
    headers: { Origin: started.origin, Cookie: cookie },
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const pending = new Map<number, (result: unknown) => void>();
  socket.on('message', (data: Buffer) => {
    const reply = JSON.parse(data.toString('utf8')) as { kind: string; id?: number; result?: unknown };
    if (reply.kind === 'result' && reply.id !== undefined) {
      pending.get(reply.id)?.(reply.result);
      pending.delete(reply.id);
    }
  });
  let nextId = 0;
  return {
    invoke(channel, payload) {
      nextId += 1;
      const id = nextId;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        socket.send(JSON.stringify({ kind: 'invoke', id, channel, ...(payload === undefined ? {} : { payload }) }));
      });
    },
    close() {
      const closed = new Promise<void>((resolve) =>
        socket.once('close', () => {
          resolve();
        }),
      );
      socket.close();
      return closed;
    },
  };
}

/** The mode the running shell reports over its contract (`app:get-info`). */
async function reportedMode(contract: Contract): Promise<unknown> {
  const result = (await contract.invoke('app:get-info')) as { value?: { mode?: unknown } };
  return result.value?.mode;
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
    const contract = await connect(running);

    expect(await reportedMode(contract)).toBe(expected);
    await contract.close();
  });

  it('switches to live mode in place when Paramètres saves it: same address and session, mode saved', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'psc-browser-main-'));
    running = await startShell(dataDir, []);
    const contract = await connect(running);
    expect(await reportedMode(contract)).toBe('demo');

    const reply = await contract.invoke('app:set-mode', { mode: 'live' });
    // Calls made during the switch wait for the new runtime; poll a bounded number of times, as the window does.
    let mode: unknown;
    for (let attempt = 0; attempt < 50 && mode !== 'live'; attempt += 1) {
      mode = await reportedMode(contract);
    }

    expect(reply).toEqual({ ok: true, value: { restartRequired: true, restarting: true } });
    expect(mode).toBe('live');
    expect(JSON.parse(await readFile(join(dataDir, 'preferences.json'), 'utf8'))).toEqual({ version: 1, mode: 'live' });
    await contract.close();
  });
});
