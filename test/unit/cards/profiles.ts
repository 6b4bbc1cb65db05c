/**
 * Card profiles for the reader tests: CPS3 / CPS4 layouts built from the public TEST certificates.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cdf, efDir, efSnIcc, odf, prkdf, type CertEntry } from './pkcs15-builder';

export const CERTS_DIR = fileURLToPath(new URL('../../../../shared/certs/cpx/', import.meta.url));
export const AUTH_DER = new Uint8Array(readFileSync(join(CERTS_DIR, 'test-end-entity/2600301752-Auth.crt')));
export const SIG_DER = new Uint8Array(
  readFileSync(join(CERTS_DIR, 'test-end-entity/test-cps-fort-personnes-signature.der')),
);

export const ATR = {
  cps3: '3B AC 00 40 2A 00 12 25 00 64 80 00 03 10 00 90 00',
  cps3b: '3B AC 00 40 2A 00 12 25 00 64 80 82 02 12 00 90 00',
  cps4: '3B 9B 18 80 01 00 12 25 00 64 80 04 01 00 00 90 44',
  contactless: '3B 8F 80 01 00 31 B8 64 04 B0 EC C1 73 94 01 80 82 90 00 0E',
};

export const atr = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/ /g, ''), 'hex'));

/** The certificate EF is larger than the DER: padding after it must be ignored. */
export const padded = (der: Uint8Array, size = 2600): Uint8Array => {
  const out = new Uint8Array(Math.max(size, der.length)).fill(0xff);
  out.set(der);
  return out;
};

export const AUTH_LABEL = "Certificat d'Authentification CPS";
export const SIG_LABEL = 'Certificat de Signature CPS';

export type Layout = {
  entries?: CertEntry[];
  keys?: { label: string; id: string }[];
  withDir?: boolean;
  authFile?: Uint8Array;
  cardNumber?: string | null;
};

/** Files of a CPS3-like card (also used behind the CPS4 applet). */
export function cpsFiles(layout: Layout = {}): Record<string, Uint8Array> {
  const entries = layout.entries ?? [
    { label: AUTH_LABEL, id: '01', path: 'C001' },
    { label: SIG_LABEL, id: '02', path: '3F000001C002' },
    { label: 'AC IGC-SANTE', id: '10', path: 'C010', authority: true },
  ];
  const files: Record<string, Uint8Array> = {
    '3F0000015031': odf({ prkdf: '00017001', cdf: '7004' }),
    '3F0000017004': cdf(entries, 0),
    '3F0000017001': prkdf(
      layout.keys ?? [
        { label: 'CPS_PRIV_AUT', id: '01' },
        { label: 'CPS_PRIV_SIG', id: '02' },
      ],
    ),
    '3F000001C001': layout.authFile ?? padded(AUTH_DER),
    '3F000001C002': padded(SIG_DER),
  };
  if (layout.withDir !== false) {
    files['3F002F00'] = efDir('E828BD080F8025000001FF0010', 'CPX IAS', '3F000001');
  }
  if (layout.cardNumber !== null) {
    files['3F00D003'] = efSnIcc(layout.cardNumber ?? '2600301752');
  }
  return files;
}
