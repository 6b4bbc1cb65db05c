import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TenantOverview } from '../../../shared/contract/account';
import { AppError } from '../../../shared/errors';
import { fr } from '../../../shared/i18n/fr';
import { errorText } from '../../../electron/cli/messages';
import { readOnlySettings, readSavedSettings } from '../../../electron/cli/settings-reader';
import { parseTenantArgs, TenantUsageError } from '../../../electron/cli/tenant-args';
import type { TenantArgs } from '../../../electron/cli/tenant-args';
import { renderOverview } from '../../../electron/cli/tenant-render';

const GUID = '0d9a1c55-7d4e-4f0b-9a3c-5e6f7a8b9c0d';
const defaults: TenantArgs = { tenant: undefined, clientId: undefined, demo: false, format: 'json' };

describe('parseTenantArgs', () => {
  it.each<[string[], TenantArgs]>([
    [[], defaults],
    [['--demo'], { ...defaults, demo: true }],
    [['--tenant', 'clinique-demo.fr'], { ...defaults, tenant: 'clinique-demo.fr' }],
    [
      ['--tenant=5c3e9a1d-8f2b-4e7a-9c6d-1b2a3c4d0002'],
      { ...defaults, tenant: '5c3e9a1d-8f2b-4e7a-9c6d-1b2a3c4d0002' },
    ],
    [['--client-id', GUID, '--format', 'table'], { ...defaults, clientId: GUID, format: 'table' }],
    [['--format=json', '--demo'], { ...defaults, demo: true }],
  ])('%j', (argv, expected) => {
    expect(parseTenantArgs(argv)).toEqual(expected);
  });

  it.each<[string[], RegExp]>([
    [['--tenant'], /Valeur manquante pour --tenant/],
    [['--tenant', 'a b/c'], /Locataire invalide/],
    [['--tenant', 'x'.repeat(254)], /Locataire invalide/],
    [['--client-id', 'abc'], /Identifiant d'application invalide/],
    [['--format', 'xml'], /Format inconnu : xml/],
    [['--demo', '--client-id', GUID], /ne sert pas en mode démonstration/],
    [['--nope'], /Option inconnue : --nope/],
    [['surplus'], /Argument inattendu : surplus/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseTenantArgs(argv)).toThrow(TenantUsageError);
    expect(() => parseTenantArgs(argv)).toThrow(message);
  });
});

describe('errorText', () => {
  it.each<[unknown, string]>([
    [
      new AppError('identity.tenant-not-found'),
      `${fr.errors.identity['tenant-not-found']} (identity.tenant-not-found)`,
    ],
    [
      new AppError('graph.forbidden', { details: { missingScope: 'Policy.Read.All', leastRole: 'Lecteur général' } }),
      `${fr.errors.graph.forbidden.replace('{{missingScope}}', 'Policy.Read.All').replace('{{leastRole}}', 'Lecteur général')} (graph.forbidden)`,
    ],
    [
      new AppError('graph.bad-request'),
      `${fr.errors.graph['bad-request'].replace('{{graphMessage}}', '?')} (graph.bad-request)`,
    ],
    [new AppError('nowhere.in-catalog'), 'Échec : nowhere.in-catalog.'],
    [new Error('boom\n    at somewhere (file.ts:1:1)'), 'Erreur inattendue : boom'],
    ['plain', 'Erreur inattendue : plain'],
  ])('%s', (error, expected) => {
    expect(errorText(error)).toBe(expected);
  });
});

describe('renderOverview', () => {
  const overview: TenantOverview = {
    tenantId: 't-1',
    displayName: 'Hôpital Test',
    domains: ['a.fr', 'b.fr'],
    userCount: 12,
    x509State: 'disabled',
    conditionalAccessPolicyCount: null,
  };
  it('prints every fact, unknown counts in words', () => {
    const lines = renderOverview(overview).trimEnd().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines).toContain(`${'Organisation'.padEnd(31)} : Hôpital Test`);
    expect(lines.some((l) => l.endsWith(': a.fr, b.fr'))).toBe(true);
    expect(lines.some((l) => l.endsWith(': 12'))).toBe(true);
    expect(lines.some((l) => l.endsWith(': désactivée'))).toBe(true);
    expect(lines.some((l) => l.startsWith("Stratégies d'accès conditionnel") && l.includes('inconnu'))).toBe(true);
  });
});

describe('readSavedSettings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'psc-cli-settings-'));
  it('reads the saved client ID, treats a missing file as defaults and an invalid one as a problem', async () => {
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ language: 'en', theme: 'dark', clientId: GUID }));
    expect(await readSavedSettings(good)).toEqual({ settings: { language: 'en', theme: 'dark', clientId: GUID } });
    expect(await readSavedSettings(join(dir, 'absent.json'))).toEqual({
      settings: { language: 'fr', theme: 'system' },
    });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ not json');
    expect((await readSavedSettings(bad)).problem).toBe('invalid');
    writeFileSync(bad, JSON.stringify({ language: 'fr', theme: 'system', clientId: 'not-a-guid' }));
    expect(await readSavedSettings(bad)).toEqual({ settings: { language: 'fr', theme: 'system' }, problem: 'invalid' });
    expect((await readSavedSettings(dir)).problem).toBe('unreadable');
  });

  it('never writes', async () => {
    const settings = readOnlySettings({ language: 'fr', theme: 'system', clientId: GUID });
    expect((await settings.get()).clientId).toBe(GUID);
    await expect(settings.update({ theme: 'dark' })).rejects.toBeInstanceOf(AppError);
  });
});
