import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeNetFetch } from '../../fakes/electron';
import type { FakeElectron } from '../../fakes/electron';

const fake = vi.hoisted(() => ({ electron: undefined as FakeElectron | undefined }));
vi.mock('electron', async () => {
  const fakes = await import('../../fakes/electron');
  fake.electron = fakes.createFakeElectron();
  return fake.electron;
});

const { createRendererHandler, registerAppScheme, serveRenderer } =
  await import('../../../electron/hosts/electron/app-protocol');

describe('electron/hosts/electron/app-protocol', () => {
  let workDir: string;
  let rendererDir: string;
  let handle: (request: Request) => Promise<Response>;

  beforeAll(async () => {
    // <work>/secret.json sits two levels above <work>/dist/renderer, like package.json above dist/renderer.
    workDir = await mkdtemp(join(tmpdir(), 'psc-app-protocol-'));
    rendererDir = join(workDir, 'dist', 'renderer');
    await mkdir(join(rendererDir, 'assets'), { recursive: true });
    await writeFile(join(rendererDir, 'index.html'), '<style nonce="__CSP_NONCE__"></style><div id="root"></div>');
    await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(join(workDir, 'secret.json'), '{"allowScripts":true}');
    handle = createRendererHandler(rendererDir, fakeNetFetch);
  });

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('registers app: as a standard, secure scheme without fetch or CORS', () => {
    registerAppScheme();

    expect(fake.electron?.protocol.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false } },
    ]);
  });

  it('serves index.html for app://psc/ with a per-response nonce in a strict CSP header', async () => {
    const response = await handle(new Request('app://psc/index.html'));
    const body = await response.text();

    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(body).toContain(`nonce="${nonce ?? ''}"`);
    expect(body).not.toContain('__CSP_NONCE__');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves assets through net.fetch with the CSP header added', async () => {
    const response = await handle(new Request('app://psc/assets/app.js'));

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('console.log(1)');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('answers a client-side route (no extension) with the application shell', async () => {
    const response = await handle(new Request('app://psc/checklist'));

    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<div id="root">');
  });

  it.each([
    ['another host', 'app://other/index.html', 403],
    ['a look-alike host', 'app://psc.evil.example/index.html', 403],
    ['our host with a port', 'app://psc:8080/index.html', 403],
    ['an https URL', 'https://psc/index.html', 403],
    ['a missing file', 'app://psc/assets/missing.js', 404],
    ['a malformed escape', 'app://psc/%E0%A4%A.js', 400],
    ['a NUL byte', 'app://psc/index.html%00.js', 400],
  ])('refuses %s (%s) with %i', async (_label, url, status) => {
    const response = await handle(new Request(url));

    expect(response.status).toBe(status);
    expect(await response.text()).not.toContain('<div id="root">');
  });

  it.each([
    'app://psc/..%2f..%2fsecret.json',
    'app://psc/%2e%2e%2f%2e%2e%2fsecret.json',
    'app://psc/..%5c..%5csecret.json',
  ])('never serves a file outside the renderer folder: %s', async (url) => {
    // The URL parser leaves %2f and %5c alone, so only the handler's own path check stands in the way.
    expect(new URL(url).pathname).toContain('%');
    const response = await handle(new Request(url));

    expect([403, 404]).toContain(response.status);
    expect(await response.text()).not.toContain('allowScripts');
  });

  it('refuses other methods than GET and HEAD with 405', async () => {
    const response = await handle(new Request('app://psc/index.html', { method: 'POST', body: 'x' }));

    expect(response.status).toBe(405);
  });

  it('installs the handler for the app scheme', async () => {
    serveRenderer(rendererDir);
    const installed = fake.electron?.protocol.handlers.get('app');

    const response = await installed?.(new Request('app://psc/'));
    expect(response?.status).toBe(200);
  });
});
