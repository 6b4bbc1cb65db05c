/**
 * Builds the CPx file system (ISO 7816-4 + ISO 7816-15): MF with EF.DIR and EF.SN.ICC, the PKCS#15 application DF
 * with EF.ODF, EF.TokenInfo, PrKDF, CDF, and certificate EFs padded after the DER like real cards.
 */
import { bitString, concatBytes, hex, integer, octets, seq, tlv, utf8 } from './der';
import type { CardNode, DedicatedFile } from './filesystem';
import { df, ef } from './filesystem';

/** Application identifiers and fixed file identifiers (domain.md §3). */
export const CPX = {
  iasAid: hex('E8 28 BD 08 0F 80 25 00 00 01 FF 00 10'),
  pkiAppletAid: hex('80 25 00 00 01 FF 01 00'),
  appDf: 0x0001,
  efDir: 0x2f00,
  efSnIcc: 0xd003,
  odf: 0x5031,
  tokenInfo: 0x5032,
  labels: {
    authentication: "Certificat d'Authentification CPS",
    signature: 'Certificat de Signature CPS',
    technical: 'Certificat Technique CPS',
  },
  keyLabels: { authentication: 'CPS_PRIV_AUT', signature: 'CPS_PRIV_SIG', technical: 'CPS_PRIV_TECH' },
} as const;

/** Role of a certificate on the card. */
export type CertificateRole = 'authentication' | 'signature' | 'technical';

/** One certificate to store: its DER (possibly corrupt), the EF that holds it, its PKCS#15 iD. */
export type CardCertificateEntry = {
  readonly role: CertificateRole;
  readonly der: Uint8Array;
  readonly fid: number;
  readonly id: Uint8Array;
  /** Overrides the CDF label (tests of the iD-matching fallback). */
  readonly label?: string;
};

/** Everything that varies between card files. */
export type FileSystemOptions = {
  readonly generation: 'cps3' | 'cps4';
  /** Ten digits, stored BCD in EF.SN.ICC. */
  readonly cardNumber: string;
  readonly certificates: readonly CardCertificateEntry[];
  /** File identifiers of the PrKDF and CDF (named by the ODF, so any value works). */
  readonly prkdfFid?: number;
  readonly cdfFid?: number;
  /** Certificate EF size; real cards reserve a fixed size and pad (default 2304 bytes). */
  readonly certificateFileSize?: number;
  /** Padding byte after the DER (0xFF or 0x00). */
  readonly padByte?: number;
};

const fidBytes = (...fids: number[]) => Uint8Array.from(fids.flatMap((fid) => [fid >> 8, fid & 0xff]));

/** ISO 7816-15 Path: full path from the MF. */
const pathObject = (...fids: number[]) => seq(octets(fidBytes(0x3f00, CPX.appDf, ...fids)));

/** Ten decimal digits → five BCD bytes. */
export function cardNumberBcd(cardNumber: string): Uint8Array {
  if (!/^\d{10}$/.test(cardNumber)) {
    throw new Error(`card number must have 10 digits: ${cardNumber}`);
  }
  return Uint8Array.from({ length: 5 }, (_, i) => Number.parseInt(cardNumber.slice(i * 2, i * 2 + 2), 16));
}

/** EF.DIR: one DIRRecord (tag 61) naming the application, its AID and the path of its DF. */
function efDir(generation: 'cps3' | 'cps4'): Uint8Array {
  const aid = generation === 'cps4' ? CPX.pkiAppletAid : CPX.iasAid;
  const label = generation === 'cps4' ? 'CPX PKI' : 'CPX IAS';
  return tlv(0x61, tlv(0x4f, aid), tlv(0x50, new TextEncoder().encode(label)), tlv(0x51, fidBytes(0x3f00, CPX.appDf)));
}

/** CDF: one x509Certificate object per certificate (CommonObjectAttributes, CommonCertificateAttributes, [1] path). */
function cdf(entries: readonly CardCertificateEntry[]): Uint8Array {
  return concatBytes(
    ...entries.map((entry) =>
      seq(
        seq(utf8(entry.label ?? CPX.labels[entry.role]), bitString([1])),
        seq(octets(entry.id)),
        tlv(0xa1, seq(pathObject(entry.fid))),
      ),
    ),
  );
}

/** PrKDF: privateRSAKey objects labelled CPS_PRIV_*, iD equal to the certificate's, usage, key reference. */
function prkdf(entries: readonly CardCertificateEntry[]): Uint8Array {
  return concatBytes(
    ...entries.map((entry, index) =>
      seq(
        seq(utf8(CPX.keyLabels[entry.role]), bitString([0]), octets(Uint8Array.of(0x01))),
        seq(octets(entry.id), bitString(entry.role === 'signature' ? [9] : [1, 2]), integer(0x81 + index)),
        tlv(0xa1, seq(seq(octets(fidBytes(0x3f00, CPX.appDf))), integer(2048))),
      ),
    ),
  );
}

/** The certificate EF content: DER then padding up to the reserved size. */
function paddedCertificate(der: Uint8Array, size: number, padByte: number): Uint8Array {
  const out = new Uint8Array(Math.max(size, der.length)).fill(padByte);
  out.set(der, 0);
  return out;
}

/** Builds the MF of a CPx card. */
export function buildCpxFileSystem(options: FileSystemOptions): DedicatedFile {
  const prkdfFid = options.prkdfFid ?? 0x7002;
  const cdfFid = options.cdfFid ?? 0x7005;
  const size = options.certificateFileSize ?? 2304;
  const pad = options.padByte ?? 0xff;
  const odf = concatBytes(tlv(0xa0, pathObject(prkdfFid)), tlv(0xa4, pathObject(cdfFid)));
  const tokenInfo = seq(
    integer(0),
    octets(new TextEncoder().encode(options.cardNumber)),
    utf8('ASIP-SANTE'),
    tlv(0x80, new TextEncoder().encode(options.generation === 'cps4' ? 'CPS4' : 'CPS3')),
    bitString([0]),
  );
  const keyHolders = options.certificates;
  const appChildren: CardNode[] = [
    ef(CPX.odf, odf),
    ef(CPX.tokenInfo, tokenInfo),
    ef(prkdfFid, prkdf(keyHolders)),
    ef(cdfFid, cdf(options.certificates)),
    ...options.certificates.map((entry) => ef(entry.fid, paddedCertificate(entry.der, size, pad))),
  ];
  const app = df(CPX.appDf, appChildren, {
    aid: options.generation === 'cps4' ? CPX.pkiAppletAid : CPX.iasAid,
    applet: options.generation === 'cps4',
  });
  const snIcc = concatBytes(Uint8Array.of(0x5a, 0x0a), hex('80 25 00 00 01'), cardNumberBcd(options.cardNumber));
  return df(0x3f00, [ef(CPX.efDir, efDir(options.generation)), ef(CPX.efSnIcc, snIcc), app]);
}
