import { describe, expect, it } from 'vitest';
import {
  classifyPcscError,
  PCSC_FIX,
  serviceDownError,
  translatePcscError,
  unavailableError,
} from '../../../electron/services/cards/errors';
import { pcscFailure } from '../../../electron/services/cards/winscard-ffi';
import { catalogs } from '../../../shared/i18n';

/** Looks a dotted message key up in a catalog (segments may contain hyphens, never dots). */
function lookup(catalog: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], catalog);
}

describe('PC/SC fixes per platform', () => {
  it.each([
    ['linux', 'errors.pcsc.service-down', 'sudo systemctl start pcscd', 'errors.pcsc.unavailable', 'pcscd'],
    ['freebsd', 'errors.pcsc.service-down', 'sudo systemctl start pcscd', 'errors.pcsc.unavailable', 'pcscd'],
    ['win32', 'errors.pcsc.service-down-windows', 'sc start SCardSvr', 'errors.pcsc.unavailable-windows', 'SCardSvr'],
    ['darwin', 'errors.pcsc.service-down-macos', '', 'errors.pcsc.unavailable-macos', ''],
  ] as const)('%s: %s with fix "%s"', (platform, downKey, downFix, unavailableKey, unavailableFixHas) => {
    const down = serviceDownError(new Error('x'), platform);
    expect(down.code).toBe('pcsc.service-down');
    expect(down.messageKey).toBe(downKey);
    expect(down.details?.fix).toBe(downFix);
    const unavailable = unavailableError(new Error('no lib'), platform);
    expect(unavailable.code).toBe('pcsc.unavailable');
    expect(unavailable.messageKey).toBe(unavailableKey);
    expect(String(unavailable.details?.fix)).toContain(unavailableFixHas);
    expect(unavailable.details?.reason).toBe('no lib');
    for (const [language, catalog] of Object.entries(catalogs)) {
      for (const key of [downKey, unavailableKey]) {
        expect(typeof lookup(catalog, key), `${language} ${key}`).toBe('string');
      }
    }
  });

  it('Windows fixes name the « Carte à puce » service, macOS asks for no command', () => {
    expect(PCSC_FIX.win32.serviceDown).toBe('sc start SCardSvr');
    expect(lookup(catalogs.fr, 'errors.pcsc.service-down-windows')).toContain('Carte à puce');
    expect(lookup(catalogs.en, 'errors.pcsc.service-down-macos')).toContain('Unplug the reader');
    expect(PCSC_FIX.darwin.serviceDown).toBe('');
  });
});

describe('raw PC/SC return codes', () => {
  it.each([
    [0x80100069, 'removed', 'card.removed'],
    [0x8010000c, 'removed', 'card.removed'],
    [0x80100017, 'reader-gone', 'card.reader-unplugged'],
    [0x80100009, 'reader-gone', 'card.reader-unplugged'],
    [0x8010001d, 'service-down', 'pcsc.service-down'],
    [0x80100013, 'service-down', 'pcsc.service-down'],
    [0x80100016, 'io', 'card.io'],
    [0x8010000b, 'io', 'card.io'],
  ] as const)('rv %d → %s → %s', (rv, kind, code) => {
    const raw = pcscFailure('SCardTransmit', rv);
    expect(classifyPcscError(raw)).toBe(kind);
    const typed = translatePcscError(raw, 'Reader 0', 'linux');
    expect(typed.code).toBe(code);
    expect(typed.cause).toBe(raw);
  });

  it('an error without a code is an I/O error', () => {
    expect(classifyPcscError(new Error('boom'))).toBe('io');
    expect(translatePcscError('boom', 'R').details).toMatchObject({ reader: 'R', reason: 'boom' });
  });
});
