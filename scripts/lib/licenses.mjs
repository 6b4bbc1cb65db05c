// Third-party notices: every package that ships — installed production packages (from package-lock.json) and the
// packages whose code the bundles contain (devDependencies since only native addons stay in node_modules) — with its
// licence id and text.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The lock-file key of the package a bundled file belongs to (`node_modules/@scope/name`, nesting kept), if any. */
export function packageDirOf(file) {
  const normalized = file.replaceAll('\\', '/').replace(/^\0/, '').split('?')[0];
  const at = normalized.lastIndexOf('node_modules/');
  if (at < 0) {
    return undefined;
  }
  const rest = normalized.slice(at + 'node_modules/'.length).split('/');
  const name = rest[0]?.startsWith('@') ? rest.slice(0, 2).join('/') : rest[0];
  // From the first node_modules/ on: a nested copy (node_modules/a/node_modules/b) is its own lock entry.
  return `${normalized.slice(normalized.indexOf('node_modules/'), at)}node_modules/${name}`;
}

/** `bundled`: lock-file keys of packages compiled into dist/ (see packageDirOf). */
export function writeThirdPartyLicenses(root, outFile, bundled = new Set()) {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const sections = [];
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    if (path === '' || (entry.dev === true && !bundled.has(path)) || !path.startsWith('node_modules/')) {
      continue;
    }
    const dir = join(root, path);
    if (!existsSync(dir)) {
      continue; // optional dependency not installed here
    }
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const licenceFile = readdirSync(dir).find((file) => /^(licen[cs]e|copying)(\.|$)/i.test(file));
    const text =
      licenceFile === undefined ? '(no licence file shipped)' : readFileSync(join(dir, licenceFile), 'utf8').trim();
    sections.push(`${name} ${entry.version ?? ''} — ${entry.license ?? 'unknown'}\n\n${text}`);
  }
  const header = `Assistant PSC — third-party software notices (${sections.length} packages)\n`;
  writeFileSync(outFile, `${header}\n${sections.join(`\n\n${'-'.repeat(78)}\n\n`)}\n`);
  return sections.length;
}
