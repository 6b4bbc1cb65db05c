/**
 * File-level card operations over an APDU session: SELECT by path, bounded READ BINARY of a DER certificate and
 * of a PKCS#15 TLV file.
 */
import { buildReadBinary, buildSelectPath, classifySw, MAX_READ_CHUNK, SW, type ResponseApdu } from './apdu';
import { derTotalLength, MAX_CERTIFICATE_BYTES } from './der';
import { cardError, protocolError } from './errors';
import { fromHex } from './hex';
import { scanTlvList } from './pkcs15';
import type { ApduSession } from './session';

/** A session bound to a logical channel, with an optional recovery for `6985` (reselect the applet, once). */
export type CardChannel = {
  session: ApduSession;
  cla: number;
  reselect?: () => Promise<void>;
};

/** Largest PKCS#15 directory file the reader accepts. */
export const MAX_TLV_FILE_BYTES = 4096;

/**
 * Send a command; on `6985` with a reselect hook, reselect the applet once and retry.
 *
 * Only for commands that carry their own context (SELECT by absolute path, EF.SN.ICC on the basic channel): a
 * READ BINARY depends on the file selected before, which reselecting the applet drops — see `readAt`.
 */
export async function command(channel: CardChannel, apdu: Uint8Array, step: string): Promise<ResponseApdu> {
  const response = await channel.session.exchange(apdu, step);
  if (response.sw === SW.CONDITIONS_NOT_SATISFIED && channel.reselect !== undefined) {
    await channel.reselect();
    return channel.session.exchange(apdu, step);
  }
  return response;
}

/** Raise the typed error matching a failing status word. */
export function failOnSw(step: string, sw: number): never {
  switch (classifySw(sw)) {
    case 'channel-unsupported':
      throw cardError('card.channel-unsupported', { step, sw: '6881' });
    case 'wrong-parameters':
      throw protocolError(step, sw, 'wrong-parameters');
    case 'security':
      throw protocolError(step, sw, 'security-status');
    case 'not-found':
      throw protocolError(step, sw, 'file-not-found');
    default:
      throw protocolError(step, sw);
  }
}

/**
 * READ BINARY at `offset` of the file at `pathHex`. On a CPS4 `6985` (the applet lost its context mid-read), reselect
 * the applet, then the file, and resume at the same offset — at most once per file read (`recovery.used`), so a card
 * that keeps answering `6985` fails with the typed error instead of looping.
 */
async function readAt(
  channel: CardChannel,
  pathHex: string | undefined,
  recovery: { used: boolean },
  offset: number,
  wanted: number,
  step: string,
): Promise<ResponseApdu> {
  const apdu = buildReadBinary(offset, wanted, channel.cla);
  const response = await channel.session.exchange(apdu, step);
  if (
    response.sw !== SW.CONDITIONS_NOT_SATISFIED ||
    channel.reselect === undefined ||
    pathHex === undefined ||
    recovery.used
  ) {
    return response;
  }
  recovery.used = true;
  await channel.reselect();
  const selected = await channel.session.exchange(buildSelectPath(fromHex(pathHex), channel.cla), `${step}-reselect`);
  if (selected.sw !== SW.OK) {
    failOnSw(`${step}-reselect`, selected.sw);
  }
  return channel.session.exchange(apdu, step);
}

/** SELECT a file by its full path from the MF (`P1=09`, `P2=0C`). */
export async function selectPath(channel: CardChannel, pathHex: string, step: string): Promise<void> {
  const response = await command(channel, buildSelectPath(fromHex(pathHex), channel.cla), step);
  if (response.sw !== SW.OK) {
    failOnSw(step, response.sw);
  }
}

/**
 * READ BINARY the selected certificate EF, stopping at the DER length (padding after it is ignored).
 *
 * `pathHex` is the path it was selected by, used to reselect it after a CPS4 `6985` mid-read; without it a `6985`
 * is a plain failure (never a replay with no file selected).
 */
export async function readDerFile(channel: CardChannel, step: string, pathHex?: string): Promise<Uint8Array> {
  const recovery = { used: false };
  const buf = new Uint8Array(MAX_CERTIFICATE_BYTES);
  let length = 0;
  let total: number | null = null;
  // Worst case one byte per answer is still bounded by the session's APDU budget; this bound is a second fence.
  for (let i = 0; i < 64; i += 1) {
    const wanted = total === null ? MAX_READ_CHUNK : Math.min(MAX_READ_CHUNK, total - length);
    if (wanted <= 0) {
      break;
    }
    const response = await readAt(channel, pathHex, recovery, length, wanted, step);
    const endOfFile = response.sw === SW.END_OF_FILE;
    if (response.sw !== SW.OK && !endOfFile) {
      failOnSw(step, response.sw);
    }
    const take = Math.min(response.data.length, buf.length - length);
    buf.set(response.data.subarray(0, take), length);
    length += take;
    if (total === null) {
      const parsed = derTotalLength(buf.subarray(0, length));
      if (parsed === 'invalid') {
        throw cardError('card.corrupt-certificate', { step, reason: 'not-der' });
      }
      if (typeof parsed === 'number') {
        if (parsed > MAX_CERTIFICATE_BYTES) {
          throw cardError('card.corrupt-certificate', { step, reason: 'too-large', length: parsed });
        }
        total = parsed;
      }
    }
    if (endOfFile || response.data.length === 0 || (total !== null && length >= total)) {
      break;
    }
  }
  if (total === null || length < total) {
    throw cardError('card.corrupt-certificate', { step, reason: 'truncated', length });
  }
  return buf.slice(0, total);
}

/** READ BINARY a PKCS#15 TLV file of unknown size: stop at padding, end of file, or a short answer (`pathHex`: as above). */
export async function readTlvFile(channel: CardChannel, step: string, pathHex?: string): Promise<Uint8Array> {
  const recovery = { used: false };
  const buf = new Uint8Array(MAX_TLV_FILE_BYTES);
  let length = 0;
  for (let i = 0; i < 32 && length < buf.length; i += 1) {
    const wanted = Math.min(MAX_READ_CHUNK, buf.length - length);
    const response = await readAt(channel, pathHex, recovery, length, wanted, step);
    const sw = response.sw;
    // Past the end of a file whose size was a multiple of the chunk: these mean "nothing more" once data exists.
    if (length > 0 && (sw === SW.WRONG_PARAMETERS || sw === SW.INCORRECT_P1P2 || sw === SW.WRONG_LENGTH)) {
      break;
    }
    if (sw !== SW.OK && sw !== SW.END_OF_FILE) {
      failOnSw(step, sw);
    }
    buf.set(response.data.subarray(0, buf.length - length), length);
    length += Math.min(response.data.length, buf.length - length);
    if (sw === SW.END_OF_FILE || response.data.length < wanted) {
      break;
    }
    const scan = scanTlvList(buf.subarray(0, length));
    if (scan !== 'incomplete') {
      break;
    }
  }
  return buf.slice(0, length);
}
