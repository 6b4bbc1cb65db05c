/**
 * Card profiles: CPS3 (T=0), CPS4 (logical channel + PKI applet), contactless CPS3, signature-only, corrupt
 * certificate, revoked, slow, stalled (slower than any read may wait), pulled-mid-read, unknown card, and cards carrying the public TEST certificates read
 * from the shared folder at run time (never copied into the repository).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VirtualCard } from './card';
import type { CardBehaviour } from './commands';
import type { CardCertificates, Practitioner, TestPki } from './certificates';
import { DEFAULT_PRACTITIONER, createCrl, getSharedTestPki, issueCardCertificates } from './certificates';
import { hex } from './der';
import type { CardCertificateEntry } from './pkcs15';
import { CPX, buildCpxFileSystem } from './pkcs15';
import { df } from './filesystem';

/** Every profile name. */
export const CARD_PROFILES = [
  'cps3',
  'cps4',
  'cps3-contactless',
  'signature-only',
  'corrupt-certificate',
  'revoked',
  'slow',
  'stalled',
  'pulled-mid-read',
  'unknown',
  'real-cpe',
  'real-cps-signature',
] as const;

/** A profile name. */
export type CardProfileName = (typeof CARD_PROFILES)[number];

/** ATRs (domain.md §3). */
export const ATR = {
  cps3: hex('3B AC 00 40 2A 00 12 25 00 64 80 00 03 10 00 90 00'),
  cps4: hex('3B 9B 18 80 01 00 12 25 00 64 80 04 01 00 00 90 44'),
  cps3Contactless: hex('3B 8F 80 01 00 31 B8 64 04 B0 EC C1 73 94 01 80 82 90 00 0E'),
  /** A payment card: not a CPx. */
  unknown: hex('3B 6E 00 00 80 31 80 66 B0 84 12 01 6E 01 83 00 90 00'),
} as const;

/** Certificate EF identifiers: deliberately irregular, the reader has to discover them through the CDF. */
export const CERTIFICATE_FIDS = {
  cps3: { authentication: 0xc5a1, signature: 0xc5b7, technical: 0xc5c3 },
  cps4: { authentication: 0x8b02, signature: 0x8b11, technical: 0x8b1d },
} as const;

/** Per-answer delay of the `stalled` profile: past the desk's 20 s read timeout on the very first APDU. */
export const STALLED_DELAY_MS = 25_000;

/** Knobs for one card. */
export type ProfileOptions = {
  readonly pki?: TestPki;
  readonly practitioner?: Practitioner;
  /** Folder holding `test-end-entity/` (default: `../shared/certs/cpx` next to the repository, or `$CPX_CERTS_DIR`). */
  readonly certsDir?: string;
  readonly delayMs?: number;
  readonly pullAfterApdus?: number;
  readonly reselectFailures?: number;
  /** CPS4: answer 6985 to the N-th READ BINARY on the PKI channel (1-based), dropping the applet and file. */
  readonly readBinaryConditionsAt?: number;
  readonly fids?: Partial<Record<'authentication' | 'signature' | 'technical', number>>;
  /** Pad the generated authentication certificate to about this many bytes (benchmarks: a real ~2.3 KB CPS3). */
  readonly authenticationBytes?: number;
};

/** A built card and the facts a test needs to check what the host read. */
export type BuiltCard = {
  readonly card: VirtualCard;
  readonly cardNumber: string | null;
  readonly authenticationDer: Uint8Array | null;
  readonly signatureDer: Uint8Array | null;
  readonly certificates: CardCertificates | null;
  /** For `revoked`: a CRL of the issuing CA listing the authentication certificate. */
  readonly crl: Uint8Array | null;
};

const T0: CardBehaviour = { protocol: 'T0', maxChannel: 3 };
const T1_CPS4 = (reselectFailures: number, readBinaryConditionsAt?: number): CardBehaviour => ({
  protocol: 'T1',
  maxChannel: 3,
  pkiApplet: { aid: CPX.pkiAppletAid, reselectFailures },
  ...(readBinaryConditionsAt === undefined ? {} : { readBinaryConditionsAt }),
});

/** Default location of the shared public certificates. */
export function defaultCertsDir(): string {
  const fromEnv = process.env.CPX_CERTS_DIR;
  if (fromEnv) {
    return fromEnv;
  }
  // Bundled to CommonJS, import.meta.url is empty: fall back to the working directory (the repository root).
  const here = typeof import.meta.url === 'string' ? path.dirname(fileURLToPath(import.meta.url)) : undefined;
  const repoRoot = here ? path.resolve(here, '..', '..') : process.cwd();
  return path.resolve(repoRoot, '..', 'shared', 'certs', 'cpx');
}

/** Overwrites the middle of a DER with garbage while keeping its outer header: parsers must reject it. */
function corrupt(der: Uint8Array): Uint8Array {
  const out = der.slice();
  out.fill(0xa5, 8, Math.min(out.length, 96));
  return out;
}

const entry = (
  role: CardCertificateEntry['role'],
  der: Uint8Array,
  fids: Record<CardCertificateEntry['role'], number>,
  id: number,
): CardCertificateEntry => ({ role, der, fid: fids[role], id: Uint8Array.of(0x45, 0x3c, id) });

/** Builds one card of the given profile. Certificates are generated (RSA 2048) or read from the shared folder. */
export async function buildCard(profile: CardProfileName, options: ProfileOptions = {}): Promise<BuiltCard> {
  const generation = profile === 'cps4' ? 'cps4' : 'cps3';
  const fids = { ...CERTIFICATE_FIDS[generation], ...options.fids };
  const behaviour = generation === 'cps4' ? T1_CPS4(options.reselectFailures ?? 1, options.readBinaryConditionsAt) : T0;
  const extra = {
    ...(options.delayMs !== undefined ? { delayMs: options.delayMs } : {}),
    ...(options.pullAfterApdus !== undefined ? { pullAfterApdus: options.pullAfterApdus } : {}),
  };

  if (profile === 'unknown') {
    const card = new VirtualCard({ profile, atr: ATR.unknown, behaviour: T0, root: df(0x3f00, []), ...extra });
    return { card, cardNumber: null, authenticationDer: null, signatureDer: null, certificates: null, crl: null };
  }

  if (profile === 'real-cpe' || profile === 'real-cps-signature') {
    const dir = path.join(options.certsDir ?? defaultCertsDir(), 'test-end-entity');
    const isCpe = profile === 'real-cpe';
    const der = new Uint8Array(
      await readFile(path.join(dir, isCpe ? '2600301752-Auth.crt' : 'test-cps-fort-personnes-signature.der')),
    );
    const cardNumber = isCpe ? '2600301752' : '2800636234';
    const root = buildCpxFileSystem({
      generation,
      cardNumber,
      certificates: [entry(isCpe ? 'authentication' : 'signature', der, fids, isCpe ? 1 : 2)],
    });
    const card = new VirtualCard({ profile, atr: ATR.cps3, behaviour, root, ...extra });
    return {
      card,
      cardNumber,
      authenticationDer: isCpe ? der : null,
      signatureDer: isCpe ? null : der,
      certificates: null,
      crl: null,
    };
  }

  const pki = options.pki ?? (await getSharedTestPki());
  const person = options.practitioner ?? DEFAULT_PRACTITIONER;
  const certificates = await issueCardCertificates(
    pki,
    person,
    undefined,
    options.authenticationBytes === undefined ? {} : { authenticationBytes: options.authenticationBytes },
  );
  const auth = certificates.authentication.der;
  const sign = certificates.signature.der;
  let entries: CardCertificateEntry[];
  switch (profile) {
    case 'signature-only':
      entries = [entry('signature', sign, fids, 2)];
      break;
    case 'cps3-contactless':
      // Over the contactless interface only a technical certificate is exposed; its content does not matter here.
      entries = [entry('technical', sign, fids, 3)];
      break;
    case 'corrupt-certificate':
      entries = [entry('signature', sign, fids, 2), entry('authentication', corrupt(auth), fids, 1)];
      break;
    default:
      // Signature first: the reader must pick by label / key iD, not by position.
      entries = [entry('signature', sign, fids, 2), entry('authentication', auth, fids, 1)];
  }
  const root = buildCpxFileSystem({ generation, cardNumber: person.cardNumber, certificates: entries });
  const atr = profile === 'cps4' ? ATR.cps4 : profile === 'cps3-contactless' ? ATR.cps3Contactless : ATR.cps3;
  const defaults =
    profile === 'slow'
      ? { delayMs: 25 }
      : profile === 'stalled'
        ? { delayMs: STALLED_DELAY_MS }
        : profile === 'pulled-mid-read'
          ? { pullAfterApdus: 6 }
          : {};
  const card = new VirtualCard({ profile, atr, behaviour, root, ...defaults, ...extra });
  const hasAuth = entries.some((e) => e.role === 'authentication');
  return {
    card,
    cardNumber: person.cardNumber,
    authenticationDer: hasAuth ? (profile === 'corrupt-certificate' ? corrupt(auth) : auth) : null,
    signatureDer: profile === 'cps3-contactless' ? null : sign,
    certificates,
    crl: profile === 'revoked' ? await createCrl(pki, [certificates.authentication.serialHex]) : null,
  };
}
