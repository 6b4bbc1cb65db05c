import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { certificateUserIdsFromDer, type CertificateUserIds } from '../../../shared/mapping';
import type { CertificateInfo } from '../../../shared/certificates';

const CERTS = fileURLToPath(new URL('../../../../shared/certs/cpx/test-end-entity/', import.meta.url));

/** The public TEST CPE authentication certificate (read from the shared folder, never copied). */
export async function loadCpeCard(): Promise<{ der: Uint8Array; info: CertificateInfo; values: CertificateUserIds }> {
  const der = new Uint8Array(readFileSync(`${CERTS}2600301752-Auth.crt`));
  const { info, values } = await certificateUserIdsFromDer(der);
  return { der, info, values };
}
