import { describe, expect, it } from 'vitest';
import { areaFromHash, areas, hashForArea } from '../../../renderer/src/app/routes';

describe('renderer/app/routes', () => {
  it.each([
    ['', 'desk'],
    ['#/guichet', 'desk'],
    ['#/checklist', 'checklist'],
    ['#/rapports', 'reports'],
    ['#/parametres', 'settings'],
    ['#parametres', 'settings'],
    ['#/rapports/2026-11-25', 'reports'],
    ['#/inconnu', 'desk'],
  ] as const)('maps %j to %s', (hash, area) => {
    expect(areaFromHash(hash)).toBe(area);
  });

  it('round-trips every area through its hash', () => {
    for (const area of areas) {
      expect(areaFromHash(hashForArea(area))).toBe(area);
    }
  });
});
