import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoClientId } from '../../../electron/app/demo-cloud';
import { createAppRuntime } from '../../../electron/app/runtime';
import type { AppRuntime } from '../../../electron/app/runtime';
import type { DemoCloud } from '../../../emulators/graph/demo';
import { startDemoCloud } from '../../../emulators/graph/demo';
import type { AccountState } from '../../../shared/contract/account';
import { assertConformant, createGraphConformanceChecker } from '../../helpers/emulators/graph-conformance';

/** Sign-in asks only what the chosen access needs; account:request-scopes adds exactly the scopes asked. */
describe('incremental consent through the account channels', () => {
  let cloud: DemoCloud;
  let runtime: AppRuntime;
  let dataDir: string;

  const call = async (channel: string, payload?: unknown): Promise<AccountState> => {
    const reply = await runtime.dispatch(channel, payload);
    if (!reply.ok) {
      throw new Error(`${channel}: ${reply.error.code}`);
    }
    return reply.value as AccountState;
  };
  const consented = (state: AccountState) => {
    const active = state.active;
    if (active === null) {
      throw new Error('nobody signed in');
    }
    const oid = cloud.authority.state
      .accountsFor(active.tenantId)
      .find((x) => x.account.userPrincipalName === active.username)?.account.oid;
    return [...cloud.authority.state.consented(active.tenantId, oid ?? '', demoClientId)];
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'psc-consent-'));
    cloud = await startDemoCloud({ graph: { conformance: createGraphConformanceChecker() } });
    runtime = createAppRuntime({ mode: 'demo', host: 'browser', dataDir, demoCloud: Promise.resolve(cloud) });
  });
  afterAll(async () => {
    await runtime.close();
    await cloud.close();
    await rm(dataDir, { recursive: true, force: true });
    assertConformant(cloud.graph.violations);
  });

  it('read-only sign-in consents to read scopes only', async () => {
    const state = await call('account:sign-in', { tenant: 'clinique-demo.fr', access: 'read', method: 'interactive' });
    expect(state.access).toBe('read');
    expect(consented(state).filter((s) => s.includes('ReadWrite'))).toEqual([]);
  });

  it('asking one write scope adds exactly that scope and turns the access to fix', async () => {
    const state = await call('account:request-scopes', { scopes: ['User.ReadWrite.All'] });
    expect(state.access).toBe('fix');
    expect(consented(state).filter((s) => s.includes('ReadWrite'))).toEqual(['User.ReadWrite.All']);
  });

  it('fix-mode sign-in asks what enrolling needs, not every configuration-fix scope', async () => {
    await call('account:sign-out');
    const state = await call('account:sign-in', { tenant: 'clinique-demo.fr', access: 'fix', method: 'interactive' });
    const writes = consented(state).filter((s) => s.includes('ReadWrite'));
    expect(writes.sort()).toEqual(['GroupMember.ReadWrite.All', 'User.ReadWrite.All']);
    const after = await call('account:request-scopes', { scopes: ['Policy.ReadWrite.ConditionalAccess'] });
    expect(consented(after)).toContain('Policy.ReadWrite.ConditionalAccess');
  });
});
