import { describe, expect, it } from 'vitest';
import { pcscdGate, pcscdRequiredBecause, type PcscdHandle } from '../../helpers/pcsc/pcscd';

const missing: PcscdHandle = { available: false, reason: 'pcscd is not installed' };
const running: PcscdHandle = { available: true, startedByUs: false, stop: () => Promise.resolve() };

describe('pcscd requirement', () => {
  it.each([
    [{ CI: 'true' }, false, 'CI is set'],
    [{ CI: '1' }, true, 'CI is set'],
    [{}, true, 'the Debian packages pcscd and vsmartcard-vpcd are installed'],
    [{ CI: '' }, true, 'the Debian packages pcscd and vsmartcard-vpcd are installed'],
    [{ CI: 'false' }, false, null],
    [{}, false, null],
  ] as const)('env %j, packages installed %s → %s', (env, installed, expected) => {
    expect(pcscdRequiredBecause(env, () => installed)).toBe(expected);
  });

  it('runs when pcscd is usable, whatever is required', () => {
    const gate = pcscdGate(running, 'test', 'CI is set');
    expect(gate.skip).toBe(false);
    expect(() => {
      gate.check();
    }).not.toThrow();
  });

  it('skips when pcscd is missing and nothing requires it', () => {
    const gate = pcscdGate(missing, 'test', null);
    expect(gate.skip).toBe(true);
  });

  it('fails with the reason when pcscd is missing but required', () => {
    const gate = pcscdGate(missing, 'cards integration', 'CI is set');
    expect(gate.skip).toBe(false);
    expect(() => {
      gate.check();
    }).toThrow('[cards integration] pcscd and vpcd are required (CI is set) but unusable: pcscd is not installed');
  });
});
