/**
 * `readCpxCard`: read the authentication certificate (and the card number) of a CPx card over any ApduTransport.
 *
 * Fast path when the generation's learned path is known (SELECT + READ BINARY chunks); full PKCS#15 discovery
 * otherwise, or when the learned file is gone (`6A82`) or unreadable. Never sends VERIFY, never resets.
 */
import type { ApduTransport } from './transport';
import { buildManageChannelClose, buildManageChannelOpen, buildReadBinary, buildSelectAid, SW } from './apdu';
import { classifyAtr, type CardGeneration } from './atr';
import { cardNumberFromCertificate, looksLikeCertificate } from './der';
import { discoverAuthCertificate, shouldRediscover } from './discovery';
import { cardError, protocolError } from './errors';
import { command, failOnSw, readDerFile, selectPath, type CardChannel } from './files';
import { AppError } from '../errors';
import { inspectCertificate } from '../certificates/inspect';
import { fromHex } from './hex';
import { parseLearnedPath, type LearnedPath, type LearnedPathCache } from './path-cache';
import { createApduSession, type ApduSession } from './session';

/** Role of a certificate found on the card. */
export type CertificateRole = 'authentication' | 'signature' | 'technical' | 'unknown';

/** What a card read returns. */
export type CardReadResult = {
  generation: CardGeneration;
  cardNumber: string | null;
  certificates: readonly { role: CertificateRole; label: string; der: Uint8Array }[];
  apdusExchanged: number;
  usedLearnedPath: boolean;
};

/** Options of a card read. */
export type ReadCpxCardOptions = { atr: Uint8Array; cache?: LearnedPathCache; signal?: AbortSignal; maxApdus?: number };

/** PKI applet of the CPS4, opened on a logical channel (domain.md §3). */
export const CPS4_PKI_AID = '8025000001FF0100';

/** EF.SN.ICC, holding `5A 0A 80 25 00 00 01` + the 5-byte BCD card number. */
export const EF_SN_ICC_PATH = '3F00D003';

/** Default APDU budget of one read (discovery needs ≤ 25 on a CPS3). */
export const DEFAULT_MAX_APDUS = 40;

/** Discovery target: EF.SN.ICC is only read when it keeps discovery within this many APDUs. */
export const DISCOVERY_APDU_TARGET = 25;

/** APDUs needed to read EF.SN.ICC (SELECT + one READ BINARY). */
const CARD_NUMBER_APDUS = 2;

const CARD_ISSUER_PREFIX = [0x80, 0x25, 0x00, 0x00, 0x01];

/** Card number from EF.SN.ICC contents (`5A len 8025000001 <BCD>`); null when absent or not BCD. */
export function parseCardNumber(data: Uint8Array): string | null {
  if (data[0] !== 0x5a) {
    return null;
  }
  const len = data[1] ?? 0;
  const value = data.subarray(2, 2 + len);
  if (value.length !== len || len <= CARD_ISSUER_PREFIX.length) {
    return null;
  }
  const number = value.subarray(CARD_ISSUER_PREFIX.length);
  let digits = '';
  for (const b of number) {
    const hi = b >> 4;
    const lo = b & 0x0f;
    if (hi > 9 || lo > 9) {
      return null;
    }
    digits += `${hi}${lo}`;
  }
  return digits;
}

async function readCardNumber(session: ApduSession): Promise<{ number: string | null; present: boolean }> {
  const basic: CardChannel = { session, cla: 0 };
  try {
    await selectPath(basic, EF_SN_ICC_PATH, 'select-ef-sn-icc');
    const response = await command(basic, buildReadBinary(0, 12, 0), 'read-ef-sn-icc');
    if (response.sw !== SW.OK && response.sw !== SW.END_OF_FILE) {
      failOnSw('read-ef-sn-icc', response.sw);
    }
    return { number: parseCardNumber(response.data), present: true };
  } catch (error) {
    // The card number is a convenience: a card-side refusal leaves it null; transport errors still propagate.
    if (error instanceof AppError && error.code === 'card.protocol') {
      return { number: null, present: false };
    }
    throw error;
  }
}

async function openPkiChannel(session: ApduSession): Promise<{ channel: CardChannel; number: number }> {
  const open = await session.exchange(buildManageChannelOpen(), 'manage-channel');
  if (open.sw !== SW.OK) {
    failOnSw('manage-channel', open.sw);
  }
  const number = open.data[0];
  if (number === undefined || number < 1 || number > 3) {
    throw protocolError('manage-channel', open.sw, 'invalid-channel');
  }
  const selectApplet = async (): Promise<void> => {
    const response = await session.exchange(buildSelectAid(fromHex(CPS4_PKI_AID), number), 'select-applet');
    if (response.sw !== SW.OK) {
      failOnSw('select-applet', response.sw);
    }
  };
  await selectApplet();
  return { channel: { session, cla: number, reselect: selectApplet }, number };
}

/** Thrown internally when the file holds a signature certificate: labels or a stale learned path misled us. */
const SIGNATURE_NOT_AUTH = 'signature-not-authentication';

async function readCertificate(channel: CardChannel, path: string): Promise<Uint8Array> {
  await selectPath(channel, path, 'select-certificate');
  const der = await readDerFile(channel, 'read-certificate', path);
  if (!looksLikeCertificate(der)) {
    throw cardError('card.corrupt-certificate', { step: 'read-certificate', reason: 'not-a-certificate' });
  }
  let role: string;
  try {
    role = inspectCertificate(der).role;
  } catch (error) {
    throw cardError('card.corrupt-certificate', { step: 'read-certificate', reason: 'unparseable' }, error);
  }
  // The non-repudiation certificate must never be used for mapping (domain.md §3), whatever the card says.
  if (role === 'signature') {
    throw cardError('card.no-auth-certificate', { step: 'read-certificate', reason: SIGNATURE_NOT_AUTH });
  }
  return der;
}

/** Read the authentication certificate of a CPx card (fast path when learned, discovery otherwise). */
export async function readCpxCard(transport: ApduTransport, options: ReadCpxCardOptions): Promise<CardReadResult> {
  const { generation } = classifyAtr(options.atr);
  if (generation === 'cps3-contactless') {
    throw cardError('card.contactless', { generation });
  }
  if (generation === 'unknown') {
    throw cardError('card.unknown', { atrLength: options.atr.length });
  }
  if (options.signal?.aborted === true) {
    throw cardError('card.aborted', { step: 'start' });
  }
  const session = createApduSession(transport, {
    signal: options.signal,
    maxApdus: options.maxApdus ?? DEFAULT_MAX_APDUS,
  });
  let openedChannel: number | null = null;
  let outcome: Omit<CardReadResult, 'apdusExchanged'>;
  try {
    let channel: CardChannel = { session, cla: 0 };
    if (generation === 'cps4') {
      const opened = await openPkiChannel(session);
      channel = opened.channel;
      openedChannel = opened.number;
    }
    const learned = parseLearnedPath(options.cache?.get(generation));
    let der: Uint8Array | null = null;
    let label: string | null = null;
    let usedLearnedPath = false;
    if (learned !== undefined) {
      try {
        der = await readCertificate(channel, learned.certificatePath);
        label = learned.certificateLabel;
        usedLearnedPath = true;
      } catch (error) {
        const misled = error instanceof AppError && error.details?.reason === SIGNATURE_NOT_AUTH;
        if (!shouldRediscover(error) && !misled) {
          throw error;
        }
      }
    }
    const cardNumberPath: string | null = learned === undefined ? EF_SN_ICC_PATH : learned.cardNumberPath;
    if (der === null) {
      const found = await discoverAuthCertificate(channel);
      der = await readCertificate(channel, found.path);
      label = found.label;
      // EF.SN.ICC is cheap but not free: skip it when it would push discovery past its target.
      const cheap = session.count + CARD_NUMBER_APDUS <= DISCOVERY_APDU_TARGET;
      const card = cheap ? await readCardNumber(session) : { number: null, present: true };
      const path: LearnedPath = {
        version: 1,
        certificatePath: found.path,
        certificateLabel: label,
        cardNumberPath: card.present ? EF_SN_ICC_PATH : null,
      };
      options.cache?.set(generation, path);
      outcome = result(generation, card.number ?? cardNumberFromCertificate(der), label, der, false);
    } else {
      const card = cardNumberPath === null ? { number: null } : await readCardNumber(session);
      outcome = result(generation, card.number ?? cardNumberFromCertificate(der), label, der, usedLearnedPath);
    }
  } finally {
    if (openedChannel !== null) {
      await closeChannel(session, openedChannel);
    }
  }
  return { ...outcome, apdusExchanged: session.count };
}

async function closeChannel(session: ApduSession, number: number): Promise<void> {
  try {
    await session.exchange(buildManageChannelClose(number), 'close-channel');
  } catch {
    // Closing is courtesy: a removed card or an exhausted budget must not mask the read's own outcome.
  }
}

function result(
  generation: CardGeneration,
  cardNumber: string | null,
  label: string | null,
  der: Uint8Array,
  usedLearnedPath: boolean,
): Omit<CardReadResult, 'apdusExchanged'> {
  return {
    generation,
    cardNumber,
    certificates: [{ role: 'authentication', label: label ?? '', der }],
    usedLearnedPath,
  };
}
