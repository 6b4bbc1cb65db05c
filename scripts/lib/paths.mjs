// Paths for scripts that work with spaces, non-ASCII names, symlinked checkouts and Windows drive letters:
// file URLs are converted with fileURLToPath (never `.pathname`, which keeps %20 and a leading /C:), then resolved
// through symlinks so two spellings of the same folder compare equal.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root (the folder holding package.json), symlinks resolved. */
export const repoRoot = realpathSync(fileURLToPath(new URL('../..', import.meta.url)));

/** True when the module at `importMetaUrl` is the script Node was started with (`node scripts/x.mjs`). */
export function isMainModule(importMetaUrl, argv1 = process.argv[1]) {
  if (argv1 === undefined) {
    return false;
  }
  try {
    return realpathSync(fileURLToPath(importMetaUrl)) === realpathSync(argv1);
  } catch {
    return false;
  }
}
