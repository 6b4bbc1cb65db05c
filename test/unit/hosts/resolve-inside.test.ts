import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveInside } from '../../../electron/hosts/resolve-inside';
import type { InsideResolution } from '../../../electron/hosts/resolve-inside';

// <work>/served is the root; <work>/secret.json and <work>/outside/ sit beside it, like package.json beside
// dist/renderer. Every escaping input below names a file that really exists, so a missing guard serves it.
describe('electron/hosts/resolve-inside', () => {
  let work: string;
  let root: string;

  beforeAll(async () => {
    work = await realpath(await mkdtemp(join(tmpdir(), 'psc-resolve-inside-')));
    root = join(work, 'served');
    await mkdir(join(root, 'assets'), { recursive: true });
    await mkdir(join(work, 'outside'));
    await writeFile(join(root, 'index.html'), '<div id="root"></div>');
    await writeFile(join(root, 'assets', 'app.js'), 'ok');
    await writeFile(join(root, '..notes.txt'), 'a name that starts with two dots');
    await writeFile(join(work, 'secret.json'), '{"secret":true}');
    await writeFile(join(work, 'outside', 'x.js'), 'outside');
    await symlink(join(work, 'secret.json'), join(root, 'leak.json'));
    await symlink(join(work, 'outside'), join(root, 'linked'));
    await symlink(join(root, 'assets', 'app.js'), join(root, 'alias.js'));
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  const file = (...parts: string[]) => ({ kind: 'file' as const, parts });

  it.each<[string, string, { kind: 'file'; parts: string[] } | InsideResolution]>([
    ['a file', '/index.html', file('index.html')],
    ['a nested file', '/assets/app.js', file('assets', 'app.js')],
    ['an encoded name', '/assets/%61pp.js', file('assets', 'app.js')],
    ['a backslash separator', '/assets\\app.js', file('assets', 'app.js')],
    ['doubled separators and dots', '//assets/./app.js', file('assets', 'app.js')],
    ['a name starting with two dots', '/..notes.txt', file('..notes.txt')],
    ['a symlink that stays inside', '/alias.js', file('assets', 'app.js')],
    ['a missing file', '/assets/missing.js', { kind: 'missing' }],
    ['a folder', '/assets', { kind: 'missing' }],
    ['the root itself', '/', { kind: 'missing' }],
    ['../x', '/../secret.json', { kind: 'refused', reason: 'outside' }],
    ['../x without a leading slash', '../secret.json', { kind: 'refused', reason: 'outside' }],
    ['.. that would land back inside', '/assets/../index.html', { kind: 'refused', reason: 'outside' }],
    ['.. after a folder', '/assets/../../secret.json', { kind: 'refused', reason: 'outside' }],
    ['encoded %2e%2e', '/%2e%2e/secret.json', { kind: 'refused', reason: 'outside' }],
    ['encoded %2e%2e%2f', '/%2e%2e%2fsecret.json', { kind: 'refused', reason: 'outside' }],
    ['encoded upper-case %2E%2E%5C', '/%2E%2E%5Csecret.json', { kind: 'refused', reason: 'outside' }],
    ['backslashes', '/..\\secret.json', { kind: 'refused', reason: 'outside' }],
    ['encoded backslashes', '/assets%5c..%5c..%5csecret.json', { kind: 'refused', reason: 'outside' }],
    ['a Windows drive path', '/C:\\Windows\\win.ini', { kind: 'refused', reason: 'outside' }],
    ['an NTFS stream name', '/index.html::$DATA', { kind: 'refused', reason: 'outside' }],
    ['a symlink to a file outside', '/leak.json', { kind: 'refused', reason: 'outside' }],
    ['a file under a symlinked folder outside', '/linked/x.js', { kind: 'refused', reason: 'outside' }],
    ['a NUL byte', '/index.html%00.js', { kind: 'refused', reason: 'malformed' }],
    ['a malformed escape', '/%E0%A4%A.js', { kind: 'refused', reason: 'malformed' }],
  ])('%s (%s)', async (_label, urlPath, expected) => {
    const result = await resolveInside(root, urlPath);

    if ('parts' in expected) {
      expect(result).toEqual({ kind: 'file', path: join(root, ...expected.parts) });
    } else {
      expect(result).toEqual(expected);
    }
  });

  it('treats an absolute path as relative to the root, never as a path of the machine', async () => {
    const absolute = join(work, 'secret.json');

    const result = await resolveInside(root, absolute);

    expect(result).toEqual({ kind: 'missing' });
    expect(absolute.startsWith('/')).toBe(true);
  });

  it('compares real paths when the root itself is reached through a symlink', async () => {
    const viaLink = join(work, 'root-link');
    await symlink(root, viaLink);

    expect(await resolveInside(viaLink, '/assets/app.js')).toEqual({
      kind: 'file',
      path: join(root, 'assets', 'app.js'),
    });
    expect(await resolveInside(viaLink, '/leak.json')).toEqual({ kind: 'refused', reason: 'outside' });
  });
});
