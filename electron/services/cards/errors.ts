/**
 * Translation of PC/SC failures into the service's stable codes, with the exact fix for the user where one exists.
 */
import { AppError } from '../../../shared/errors';

/** Codes the card service adds on top of the pure reader's (`card.unknown`, `card.contactless`, …). */
export type CardServiceErrorCode =
  | 'card.removed'
  | 'card.reader-unplugged'
  | 'card.timeout'
  | 'card.io'
  | 'card.reader-unknown'
  | 'card.no-card'
  | 'card.contactless'
  | 'pcsc.unavailable'
  | 'pcsc.service-down';

/** Platforms whose PC/SC stack we know how to fix (anything else gets the Linux advice). */
export type PcscPlatform = 'linux' | 'win32' | 'darwin';

/** Commands the user can run (shown in the UI), per platform. macOS's PC/SC is built in: no command, only advice. */
export const PCSC_FIX = {
  linux: { unavailable: 'sudo apt-get install pcscd libpcsclite1', serviceDown: 'sudo systemctl start pcscd' },
  // The « Carte à puce » service (SCardSvr): enable it when disabled, start it when stopped (administrator prompt).
  win32: { unavailable: 'sc config SCardSvr start= demand && sc start SCardSvr', serviceDown: 'sc start SCardSvr' },
  darwin: { unavailable: '', serviceDown: '' },
} as const;

/** The platform key for fixes and message variants. */
export function pcscPlatform(platform: NodeJS.Platform = process.platform): PcscPlatform {
  return platform === 'win32' || platform === 'darwin' ? platform : 'linux';
}

/** Message key suffix per platform: Linux keeps the base key. */
const MESSAGE_SUFFIX: Record<PcscPlatform, string> = { linux: '', win32: '-windows', darwin: '-macos' };

/** Builds a service error. */
export function serviceError(code: CardServiceErrorCode, details?: Record<string, unknown>, cause?: unknown): AppError {
  return new AppError(code, { details, cause });
}

/** PC/SC return codes we tell apart (winscard / pcsclite.h). */
const PCSC_CODES = {
  removed: [0x80100069, 0x8010000c, 0x80100067, 0x80100068],
  readerGone: [0x80100017, 0x80100009],
  // NO_SERVICE, SERVICE_STOPPED, COMM_ERROR ("RPC transport error": the daemon's socket closed under us).
  serviceDown: [0x8010001d, 0x8010001e, 0x80100013],
  io: [0x80100016, 0x80100066, 0x8010000f, 0x80100002],
} as const;

/** Extracts the hex code the addon appends to its messages, e.g. `SCardTransmit error: Card was removed.(0x80100069)`. */
export function pcscCode(error: unknown): number | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const match = /\(0x([0-9a-fA-F]{8})\)/.exec(message);
  return match?.[1] === undefined ? undefined : Number.parseInt(match[1], 16);
}

/** Kind of a raw PC/SC failure. */
export type PcscFailureKind = 'removed' | 'reader-gone' | 'service-down' | 'io';

/** Classifies a raw addon error. */
export function classifyPcscError(error: unknown): PcscFailureKind {
  const code = pcscCode(error);
  if (code === undefined) {
    return 'io';
  }
  const has = (list: readonly number[]) => list.includes(code);
  if (has(PCSC_CODES.removed)) {
    return 'removed';
  }
  if (has(PCSC_CODES.readerGone)) {
    return 'reader-gone';
  }
  if (has(PCSC_CODES.serviceDown)) {
    return 'service-down';
  }
  return 'io';
}

/** The `pcsc.service-down` error with the fix for this platform. */
export const serviceDownError = (cause?: unknown, platform?: NodeJS.Platform): AppError => {
  const key = pcscPlatform(platform);
  return new AppError('pcsc.service-down', {
    messageKey: `errors.pcsc.service-down${MESSAGE_SUFFIX[key]}`,
    details: { fix: PCSC_FIX[key].serviceDown, platform: key },
    cause,
  });
};

/** The `pcsc.unavailable` error with the fix for this platform. */
export const unavailableError = (cause?: unknown, platform?: NodeJS.Platform): AppError => {
  const key = pcscPlatform(platform);
  return new AppError('pcsc.unavailable', {
    messageKey: `errors.pcsc.unavailable${MESSAGE_SUFFIX[key]}`,
    details: {
      fix: PCSC_FIX[key].unavailable,
      platform: key,
      reason: cause instanceof Error ? cause.message : String(cause),
    },
    cause,
  });
};

/** Turns a raw PC/SC failure during a card operation into the service's typed error. */
export function translatePcscError(error: unknown, reader: string, platform?: NodeJS.Platform): AppError {
  switch (classifyPcscError(error)) {
    case 'removed':
      return serviceError('card.removed', { reader }, error);
    case 'reader-gone':
      return serviceError('card.reader-unplugged', { reader }, error);
    case 'service-down':
      return serviceDownError(error, platform);
    case 'io':
      return serviceError('card.io', { reader, reason: error instanceof Error ? error.message : String(error) }, error);
  }
}
