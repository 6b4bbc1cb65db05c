import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeLaunchPage } from '../../../electron/hosts/browser/open-browser';

describe('electron/hosts/browser/open-browser writeLaunchPage', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'psc-launch-page-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a page only its owner can read that redirects to the launch address and runs no script', async () => {
    const url = 'http://127.0.0.1:41234/?t=abc_DEF-123';

    const path = await writeLaunchPage(dir, url);
    const html = await readFile(path, 'utf8');

    expect(html).toContain(`<meta http-equiv="refresh" content="0;url=${url}">`);
    expect(html).not.toContain('<script');
    if (process.platform !== 'win32') {
      expect((await stat(path)).mode & 0o777).toBe(0o600);
    }
  });

  it('escapes the address so it cannot break out of the attribute', async () => {
    const path = await writeLaunchPage(dir, 'http://127.0.0.1:1/?t=a"><script>alert(1)</script>&b=1');
    const html = await readFile(path, 'utf8');

    expect(html).not.toContain('<script>');
    expect(html).toContain('content="0;url=http://127.0.0.1:1/?t=a&quot;&gt;&lt;script&gt;');
    expect(html).toContain('&amp;b=1');
  });

  it('refuses to overwrite a page already there (someone else’s file in its place)', async () => {
    await writeLaunchPage(dir, 'http://127.0.0.1:1/?t=first');

    await expect(writeLaunchPage(dir, 'http://127.0.0.1:1/?t=second')).rejects.toThrow(/EEXIST/);
  });
});
