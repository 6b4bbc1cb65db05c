import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { splitCertificateFile } from '../../../shared/certificates';
import type { TrustMaterial } from '../../../shared/desk/card-report';
import { inspectCertificate } from '../../../shared/certificates';
import type { Logger } from '../../../shared/logging';

/** Files of a folder, or none when it does not exist yet. */
async function filesIn(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).map((name) => join(dir, name));
  } catch {
    return [];
  }
}

/**
 * Trust material kept in the data folder: `trust/` holds imported CA certificates (DER, PEM, p7b), `crl/` the CRLs
 * downloaded for offline use. An unreadable file is logged and skipped, never fatal.
 */
export async function loadTrustFolder(dataDir: string, logger: Logger): Promise<TrustMaterial> {
  const roots: Uint8Array[] = [];
  const intermediates: Uint8Array[] = [];
  for (const file of await filesIn(join(dataDir, 'trust'))) {
    try {
      for (const der of splitCertificateFile(new Uint8Array(await readFile(file)))) {
        const info = inspectCertificate(der);
        const isSelfSigned = JSON.stringify(info.subject) === JSON.stringify(info.issuer);
        (isSelfSigned ? roots : intermediates).push(der);
      }
    } catch (error) {
      logger.warn('trust file skipped', { file, error: String(error) });
    }
  }
  const crls: Uint8Array[] = [];
  for (const file of await filesIn(join(dataDir, 'crl'))) {
    // One bad entry (a subfolder, an unreadable file) must not break every card read: skip it and say so.
    try {
      crls.push(new Uint8Array(await readFile(file)));
    } catch (error) {
      logger.warn('crl file skipped', { file, error: String(error) });
    }
  }
  return { trust: roots.length === 0 ? null : { roots, intermediates }, crls };
}
