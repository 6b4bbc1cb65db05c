import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMainModule, repoRoot } from '../../../scripts/lib/paths.mjs';

const realRoot = join(import.meta.dirname, '..', '..', '..');

describe('scripts/lib/paths', () => {
  let linkParent: string;
  let link: string;

  beforeAll(async () => {
    // A checkout reached through a symlink, in a folder whose name has a space and an accent.
    linkParent = await mkdtemp(join(tmpdir(), 'psc paths é-'));
    link = join(linkParent, 'dépôt lien');
    await symlink(realRoot, link, 'dir');
  });

  afterAll(async () => {
    await rm(linkParent, { recursive: true, force: true });
  });

  it('finds the repository root as a real path', () => {
    expect(repoRoot).toBe(realRoot);
  });

  it.each([
    ['the same path', () => join(realRoot, 'scripts', 'build.mjs'), true],
    ['a path through a symlinked folder with spaces', () => join(link, 'scripts', 'build.mjs'), true],
    ['another script', () => join(realRoot, 'scripts', 'start.mjs'), false],
    ['no script (node -e)', () => undefined, false],
  ])('recognises the started script given %s', (_label, argv1, expected) => {
    const url = pathToFileURL(join(link, 'scripts', 'build.mjs')).href;

    expect(url).toContain('%20');
    expect(isMainModule(url, argv1())).toBe(expected);
  });

  it('resolves the root from a checkout reached through that symlink', () => {
    const result = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(pathToFileURL(join(link, 'scripts', 'lib', 'paths.mjs')).href)}); process.stdout.write(m.repoRoot);`,
      ],
      { encoding: 'utf8' },
    );

    expect(result.stdout).toBe(realRoot);
  });
});
