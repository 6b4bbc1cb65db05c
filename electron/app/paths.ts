import { dirname, join } from 'node:path';
import type { AppMode } from '../../shared/contract/schemas';
import { defaultDbPath } from '../services/store/paths';

/**
 * Data folder outside Electron (browser shell, CLI): `<root>/live` or `<root>/demo`, where the root is
 * `PSC_ASSISTANT_DATA_DIR` or the XDG/AppData convention — the same folders the Electron host uses under userData,
 * and the one the CLI's `journal verify` reads. Demo state stays apart from real settings and journals.
 */
export function defaultDataDir(mode: AppMode): string {
  const liveDir = dirname(defaultDbPath(process.env));
  return mode === 'live' ? liveDir : join(dirname(liveDir), 'demo');
}
