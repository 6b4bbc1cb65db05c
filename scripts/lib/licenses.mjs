// Third-party notices: every production package installed (from package-lock.json), its licence id and text.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function writeThirdPartyLicenses(root, outFile) {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const sections = [];
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    if (path === '' || entry.dev === true || !path.startsWith('node_modules/')) {
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
