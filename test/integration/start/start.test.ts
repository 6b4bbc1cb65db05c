import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, repoRoot } from '../../helpers/shell';

type RawResponse = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

function get(url: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Resolve with the first match of `pattern` in what `stream` prints (bounded by the test timeout). */
function waitForOutput(stream: NodeJS.ReadableStream, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const match = pattern.exec(seen);
      if (match !== null) {
        stream.off('data', onData);
        resolve(match);
      }
    };
    stream.on('data', onData);
  });
}

describe('npm start (scripts/start.mjs) on a machine without Electron binary, display or browser', () => {
  let child: ChildProcessWithoutNullStreams;
  let dataDir: string;
  let stderr = '';
  let launchUrl: string;

  beforeAll(async () => {
    ensureBuilt();
    dataDir = await mkdtemp(join(tmpdir(), 'psc-start-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PSC_ASSISTANT_DATA_DIR: dataDir,
      PSC_ASSISTANT_BROWSER: 'none',
      ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
    };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    child = spawn(process.execPath, [join(repoRoot, 'scripts', 'start.mjs')], { cwd: repoRoot, env });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const printed = await waitForOutput(child.stderr, /ouvrez cette adresse dans votre navigateur :\s+(\S+)/);
    launchUrl = printed[1] ?? '';
  });

  afterAll(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it('falls back to the browser shell and prints a loopback address carrying the launch secret', () => {
    expect(stderr).toContain('Electron indisponible ici');
    expect(launchUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?t=[A-Za-z0-9_-]{43}$/);
  });

  it('serves the app at the printed address, and only with its secret', async () => {
    const url = new URL(launchUrl);
    const withoutSecret = await get(`${url.origin}/`);
    const swap = await get(launchUrl);
    const cookie = String(swap.headers['set-cookie']?.[0]).split(';')[0] ?? '';
    const page = await get(`${url.origin}/`, { Cookie: cookie });

    expect(withoutSecret.status).toBe(401);
    expect(swap.status).toBe(303);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root">');
  });

  it('stops cleanly on SIGTERM, closing the shell it started', async () => {
    const origin = new URL(launchUrl).origin;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('exit', (code, signal) => {
        resolve({ code, signal });
      });
    });

    child.kill('SIGTERM');

    expect(await exited).toEqual({ code: 0, signal: null });
    await expect(get(`${origin}/`)).rejects.toThrow(/ECONNREFUSED/);
  });
});
