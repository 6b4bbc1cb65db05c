// Decide whether dist/ must be rebuilt: any source file newer than the stamp written by the last build.
import { existsSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const sourceDirs = ['shared', 'electron', 'renderer', 'emulators', 'resources'];
const sourceFiles = ['package.json', 'vite.config.ts'];
const stampPath = (root) => join(root, 'dist', '.build-stamp');

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) {
    return stat.mtimeMs;
  }
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) {
      continue;
    }
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

export function isStale(root) {
  if (!existsSync(stampPath(root))) {
    return true;
  }
  const built = statSync(stampPath(root)).mtimeMs;
  const paths = [...sourceDirs, ...sourceFiles].map((p) => join(root, p)).filter((p) => existsSync(p));
  return paths.some((p) => newestMtime(p) > built);
}

export function writeStamp(root) {
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(stampPath(root), new Date().toISOString());
}
