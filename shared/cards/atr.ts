/**
 * ATR parsing and CPx generation classification (domain.md §3).
 *
 * The ATR is parsed per ISO 7816-3 (T0, interface bytes, historical bytes, TCK) and the historical bytes are
 * matched against a small data table of known CPx signatures. Contactless readers expose PC/SC Part 3 ATRs
 * (`3B 8n 80 01 …`), which are recognised separately.
 */
import { fromHex, startsWith } from './hex';

/** Card generations the reader knows how to handle. */
export type CardGeneration = 'cps3' | 'cps3-contactless' | 'cps4' | 'unknown';

/** Physical interface the ATR came from. */
export type CardInterface = 'contact' | 'contactless' | 'unknown';

/** Result of classifying an ATR. */
export type AtrClassification = { generation: CardGeneration; interface: CardInterface };

/** Structure of an ATR after ISO 7816-3 parsing. */
export type ParsedAtr = { protocols: readonly number[]; historical: Uint8Array };

type Signature = { prefix: string; generation: CardGeneration; interface: CardInterface };

/** Known historical-byte signatures: data, not code, so a new card generation is one line. */
const HISTORICAL_SIGNATURES: readonly Signature[] = [
  { prefix: '00 12 25 00 64 80 00 03 10', generation: 'cps3', interface: 'contact' },
  { prefix: '00 12 25 00 64 80 82 02 12', generation: 'cps3', interface: 'contact' },
  { prefix: '00 12 25 00 64 80 04 01 00', generation: 'cps4', interface: 'contact' },
  { prefix: '00 12 25 00 64 80 00 04 01', generation: 'cps4', interface: 'contact' },
  { prefix: '00 31 B8 64 04 B0 EC C1 73 94 01 80 82', generation: 'cps3-contactless', interface: 'contactless' },
];

const SIGNATURES = HISTORICAL_SIGNATURES.map((s) => ({ ...s, bytes: fromHex(s.prefix) }));

/** Parse an ATR per ISO 7816-3; returns null when it is structurally invalid (too short, truncated). */
export function parseAtr(atr: Uint8Array): ParsedAtr | null {
  if (atr.length < 2 || atr.length > 33 || (atr[0] !== 0x3b && atr[0] !== 0x3f)) {
    return null;
  }
  const t0 = atr[1] ?? 0;
  const historicalCount = t0 & 0x0f;
  let y = t0 >> 4;
  let i = 2;
  const protocols: number[] = [];
  // At most a handful of interface-byte groups exist; the bound keeps a malicious ATR from looping.
  for (let group = 0; group < 8; group += 1) {
    if (y & 0x1) {
      i += 1;
    }
    if (y & 0x2) {
      i += 1;
    }
    if (y & 0x4) {
      i += 1;
    }
    if (!(y & 0x8)) {
      break;
    }
    const td = atr[i];
    if (td === undefined) {
      return null;
    }
    protocols.push(td & 0x0f);
    y = td >> 4;
    i += 1;
  }
  if (i + historicalCount > atr.length) {
    return null;
  }
  return { protocols, historical: atr.slice(i, i + historicalCount) };
}

/** True for PC/SC Part 3 contactless ATRs (`3B 8n 80 01`). */
function isPcscContactless(atr: Uint8Array): boolean {
  return atr.length >= 4 && atr[0] === 0x3b && ((atr[1] ?? 0) & 0xf0) === 0x80 && atr[2] === 0x80 && atr[3] === 0x01;
}

/** Classify a CPx card from its ATR (CPS3, CPS3 on a contactless reader, CPS4, or unknown). */
export function classifyAtr(atr: Uint8Array): AtrClassification {
  const parsed = parseAtr(atr);
  const contactless = isPcscContactless(atr);
  if (parsed !== null) {
    const match = SIGNATURES.find((s) => startsWith(parsed.historical, s.bytes));
    if (match !== undefined) {
      return { generation: match.generation, interface: match.interface };
    }
  }
  return { generation: 'unknown', interface: parsed === null ? 'unknown' : contactless ? 'contactless' : 'contact' };
}
