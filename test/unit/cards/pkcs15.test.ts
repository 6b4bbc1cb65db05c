import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { parseCdf, parseEfDir, parseOdf, parsePrkdf, scanTlvList } from '../../../shared/cards/pkcs15';
import { resolvePath, roleFromLabel } from '../../../shared/cards/discovery';
import { fromHex } from '../../../shared/cards/hex';
import { cdf, efDir, odf, prkdf, tlv } from './pkcs15-builder';

describe('pkcs15 parsing', () => {
  it('parses EF.DIR application templates with AID, label and path', () => {
    expect(parseEfDir(efDir('E828BD080F8025000001FF0010', 'CPX IAS', '3F000001'))).toEqual([
      { aid: 'E828BD080F8025000001FF0010', label: 'CPX IAS', path: '3F000001' },
    ]);
  });

  it('parses ODF private key, certificate and trusted certificate paths', () => {
    expect(parseOdf(odf({ prkdf: '7001', cdf: '3F0000017004', trusted: '7005' }))).toEqual({
      privateKeys: ['7001'],
      certificates: ['3F0000017004'],
      trustedCertificates: ['7005'],
    });
  });

  it('parses CDF entries with accents in labels, iD, authority flag and path, ignoring FF padding', () => {
    const entries = parseCdf(
      cdf(
        [
          { label: "Certificat d'Authentification CPS é", id: '01', path: 'C001' },
          { label: 'AC', id: '10', path: '3F000001C010', authority: true },
        ],
        300,
        0xff,
      ),
    );
    expect(entries).toEqual([
      { label: "Certificat d'Authentification CPS é", id: '01', authority: false, path: 'C001' },
      { label: 'AC', id: '10', authority: true, path: '3F000001C010' },
    ]);
  });

  it('parses PrKDF labels and iDs', () => {
    expect(parsePrkdf(prkdf([{ label: 'CPS_PRIV_AUT', id: 'A1' }]))).toEqual([{ label: 'CPS_PRIV_AUT', id: 'A1' }]);
  });

  it('raises card.protocol (invalid-pkcs15) on a truncated structure', () => {
    const broken = Uint8Array.from(tlv(0x30, tlv(0x30, [0x0c, 0x05, 0x41])));
    let error: unknown;
    try {
      parseCdf(broken);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).details?.reason).toBe('invalid-pkcs15');
  });

  it.each([
    ['3003020101', 'incomplete'],
    ['300302010100', 'complete'],
    ['3003020101ff', 'complete'],
    ['3082', 'incomplete'],
    ['30850000', 'invalid'],
    ['00', 'invalid'],
    ['30050201', 'incomplete'],
  ])('scans %s as %s', (hex, expected) => {
    expect(scanTlvList(fromHex(hex))).toBe(expected);
  });
});

describe('discovery helpers', () => {
  it.each([
    ["Certificat d'Authentification CPS", 'authentication'],
    ['CPS_PRIV_AUT', 'authentication'],
    ['CPS_PRIV_SIG', 'signature'],
    ['Certificat de Signature CPS', 'signature'],
    ['Certificat technique', 'technical'],
    ['Autre', 'unknown'],
    [null, 'unknown'],
  ])('reads the role of label %s', (label, role) => {
    expect(roleFromLabel(label)).toBe(role);
  });

  it.each([
    ['3F000001', 'C001', '3F000001C001'],
    ['3F000001', '3F000001C001', '3F000001C001'],
    ['3F000001', '0001C001', '3F000001C001'],
    ['3F00', '0001', '3F000001'],
  ])('resolves %s + %s', (app, path, full) => {
    expect(resolvePath(app, path, 'test')).toBe(full);
  });

  it('rejects paths that are too long', () => {
    expect(() => resolvePath('3F000001', '1111222233334444555566667777', 'test')).toThrow(AppError);
  });
});
