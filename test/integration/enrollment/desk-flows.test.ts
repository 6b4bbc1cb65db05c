import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GraphService } from '../../../electron/services/graph/index';
import type { EmulatorState } from '../../../emulators/graph/index';
import { AppError } from '../../../shared/errors';
import { certificateUserIdsFromDer } from '../../../shared/mapping';
import type { Emulators } from '../../helpers/emulators/index';
import { startEmulators } from '../../helpers/emulators/index';
import type { Desk } from './harness';
import { agentFor, createDesk, graphFor, idsOf, issueCard, patchesTo, practitioner, setIds, staffId } from './harness';

const CBA_GROUP = '00000002-0002-4000-8000-000000000001';
const julien = staffId(13); // Clémence Michel: cloud-only, no mapping yet
const mathieu = staffId(3); // synced from AD
const cert = (derBase64: string) => ({ kind: 'certificate' as const, derBase64 });
const ski = (ids: readonly string[]) => ids.filter((v) => v.startsWith('X509:<SKI>'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const valuesOf = async (derBase64: string) =>
  (await certificateUserIdsFromDer(new Uint8Array(Buffer.from(derBase64, 'base64')))).values;

/** Poll until the condition holds (bounded: the automatic replay must get there on its own). */
async function until(condition: () => Promise<boolean>, rounds = 300): Promise<boolean> {
  for (let i = 0; i < rounds; i++) {
    if (await condition()) {
      return true;
    }
    await sleep(20);
  }
  return false;
}

describe('desk flows: offline enrollment, automatic replay, removal, ordering, concurrent agents', () => {
  let emu: Emulators;
  let graph: GraphService;
  let pristine: EmulatorState;
  let desk: Desk;
  let card: string;
  let renewed: string;
  let mathieuCard: string;
  let upn: string;

  beforeAll(async () => {
    emu = await startEmulators();
    graph = graphFor(emu);
    pristine = emu.graph.snapshot();
    [card, renewed, mathieuCard] = await Promise.all([
      issueCard(practitioner('Clémence', 'Michel', '10100000001', '2800000001')),
      issueCard(practitioner('Clémence', 'Michel', '10100000001', '2800000002')),
      issueCard(practitioner('Mathieu', 'Thomas', '10100000003', '2800000003')),
    ]);
    const holder = emu.graph.tenant('clinique-demo').users.find((u) => u.id === julien);
    upn = typeof holder?.userPrincipalName === 'string' ? holder.userPrincipalName : '';
  }, 60_000);
  beforeEach(() => {
    emu.graph.restore(pristine);
    emu.graph.requests.length = 0;
    desk = createDesk(graph, agentFor(emu));
  });
  afterEach(async () => {
    emu.graph.setFaults([]);
    await emu.graph.setOffline(false);
    desk.close();
  });
  afterAll(async () => {
    graph.close();
    await emu.close();
  });

  it('queues an enrollment by UPN while offline and plans it fully on replay (GET, merge, PATCH, group, verify)', async () => {
    setIds(emu, julien, ['X509:<PN>unrelated@example.org']);
    await emu.graph.setOffline(true);
    const queued = await desk.service.apply({ source: cert(card), userId: upn, userPrincipalName: upn });
    expect(queued).toMatchObject({ status: 'queued', userPrincipalName: upn });
    const view = await desk.service.queue();
    expect(view.items.map((i) => i.userPrincipalName)).toEqual([upn]);
    expect(view.isOnline).toBe(false);

    await emu.graph.setOffline(false);
    expect((await desk.service.replay()).items).toEqual([]);
    const ids = idsOf(emu, julien);
    expect(ids).toContain('X509:<PN>unrelated@example.org');
    expect(ski(ids)).toHaveLength(1);
    expect(emu.graph.tenant('clinique-demo').members[CBA_GROUP]).toContain(julien);
    const journal = await desk.service.journal(10);
    expect(journal.entries.map((e) => e.kind)).toEqual(['queued', 'replayed', 'group-added']);
    expect(journal.entries[1]?.userPrincipalName).toBe(upn);
  });

  it('counts a token refresh failing offline as offline: the step is queued, not refused', async () => {
    const noAuthority: GraphService = {
      ...graph,
      get: () => Promise.reject(new AppError('identity.offline', { details: { host: 'login' } })),
      batch: () => Promise.reject(new AppError('identity.offline', { details: { host: 'login' } })),
    };
    const offlineDesk = createDesk(noAuthority, agentFor(emu));
    try {
      const outcome = await offlineDesk.service.apply({ source: cert(card), userId: upn, userPrincipalName: upn });
      expect(outcome.status).toBe('queued');
      await expect(offlineDesk.service.findCandidates(cert(card))).rejects.toMatchObject({ code: 'identity.offline' });
      const kinds = (await offlineDesk.service.journal(10)).entries.map((e) => e.kind);
      expect(kinds).toEqual(['queued', 'search-failed']);
    } finally {
      offlineDesk.close();
    }
  });

  it('replays pending items by itself after a restart, and again as soon as the network is back', async () => {
    await emu.graph.setOffline(true);
    await desk.service.apply({ source: cert(card), userId: julien, userPrincipalName: upn });
    desk.service.close();
    desk.store.close();
    // Restart while still offline: the service probes with backoff, then replays when Graph answers again.
    const restarted = createDesk(graph, agentFor(emu), { autoReplay: { baseDelayMs: 10, maxDelayMs: 40 } }, desk.dir);
    desk = restarted;
    const tried = async () =>
      (await restarted.service.journal(10)).entries.some((e) => e.kind === 'replay-failed') &&
      (await restarted.service.queue()).items.length === 1;
    expect(await until(tried)).toBe(true);
    expect((await restarted.service.queue()).items[0]?.userPrincipalName).toBe(upn);
    await emu.graph.setOffline(false);
    const replayed = async () =>
      (await restarted.service.journal(10)).entries.some((e) => e.kind === 'replayed') &&
      (await restarted.service.queue()).items.length === 0;
    expect(await until(replayed)).toBe(true);
    expect(ski(idsOf(emu, julien))).toHaveLength(1);
    expect(patchesTo(emu, julien)).toBe(1);
  });

  it('runs an older queued removal before a newer write of the same user', async () => {
    await desk.service.apply({ source: cert(card), userId: julien });
    await emu.graph.setOffline(true);
    expect((await desk.service.remove({ source: cert(card), userId: julien, reason: 'lost' })).status).toBe('queued');
    await emu.graph.setOffline(false);
    const rewritten = await desk.service.apply({ source: cert(renewed), userId: julien });
    expect(rewritten.status).toBe('written');
    expect((await desk.service.queue()).items).toEqual([]);
    expect(await desk.service.replay()).toMatchObject({ items: [] });
    const after = idsOf(emu, julien);
    const newSki = (await valuesOf(renewed)).SKI ?? '';
    expect(ski(after)).toEqual([newSki]);
  });

  it('removing a replaced card keeps the PrincipalName the new card shares, and journals the reason', async () => {
    const old = await valuesOf(card);
    const next = await valuesOf(renewed);
    const pn = old.PrincipalName ?? '';
    expect(pn).toBe(next.PrincipalName);
    setIds(emu, julien, [pn, old.SKI ?? '', next.SKI ?? '', 'X509:<PN>other@example.org']);

    const preview = await desk.service.planRemoval({ source: cert(card), userId: julien, reason: 'replaced' });
    expect(preview.remove).toEqual([old.SKI]);
    expect(preview.kept).toEqual([{ value: pn, reason: 'shared-with-enrolled-card' }]);
    expect(preview.oldCardStillMatches).toBe(false);
    expect(idsOf(emu, julien)).toHaveLength(4);

    const outcome = await desk.service.remove({ source: cert(card), userId: julien, reason: 'replaced' });
    expect(outcome.status).toBe('removed');
    expect(idsOf(emu, julien)).toEqual([pn, next.SKI, 'X509:<PN>other@example.org']);
    const journal = await desk.service.journal(5);
    expect(journal.entries.map((e) => e.kind)).toEqual(['preview-read', 'mapping-removed']);

    // With no other card left, a lost card loses everything it had.
    setIds(emu, julien, [pn, old.SKI ?? '']);
    const lost = await desk.service.planRemoval({ source: cert(card), userId: julien, reason: 'lost' });
    expect(lost.remove).toEqual([pn, old.SKI]);
    expect(lost.kept).toEqual([]);
  });

  it('removes by loaded certificate (holders found by reverse lookup) and by user (picked values)', async () => {
    await desk.service.apply({ source: cert(card), userId: julien });
    const holders = await desk.service.findHolders(cert(card));
    expect(holders.users.map((u) => u.id)).toEqual([julien]);

    setIds(emu, julien, [...idsOf(emu, julien), 'X509:<PN>keep@example.org']);
    const found = await desk.service.searchUsers('Clémence');
    const user = found.users.find((u) => u.id === julien);
    expect(user?.certificateUserIds).toHaveLength(2);
    const pick = ski(user?.certificateUserIds ?? []);
    const preview = await desk.service.planRemoval({ userId: julien, values: pick, reason: 'other' });
    expect(preview.remove).toEqual(pick);
    expect(preview.next).toEqual(['X509:<PN>keep@example.org']);
    expect((await desk.service.remove({ userId: julien, values: pick, reason: 'stolen' })).status).toBe('removed');
    expect(idsOf(emu, julien)).toEqual(['X509:<PN>keep@example.org']);
  });

  it('re-reads right before the PATCH: a value another agent wrote meanwhile is merged and reported', async () => {
    let injected = false;
    const racing: GraphService = {
      ...graph,
      batch: async (items) => {
        const results = await graph.batch(items);
        if (!injected) {
          injected = true;
          // Another agent writes and verifies between our first GET and our PATCH.
          setIds(emu, julien, ['X509:<PN>colleague@example.org']);
        }
        return results;
      },
    };
    const raceDesk = createDesk(racing, agentFor(emu));
    try {
      const outcome = await raceDesk.service.apply({ source: cert(card), userId: julien });
      expect(outcome.status).toBe('written');
      expect(outcome.unexpected?.appeared).toEqual(['X509:<PN>colleague@example.org']);
      expect(idsOf(emu, julien)).toContain('X509:<PN>colleague@example.org');
      expect(patchesTo(emu, julien)).toBe(1);
    } finally {
      raceDesk.close();
    }
  });

  it('a stale PATCH of another agent landing after our verify read is caught by the settle read and merged', async () => {
    let landed = false;
    const stale: GraphService = {
      ...graph,
      patch: async (path, body, options) => {
        await graph.patch(path, body, options);
        if (!landed) {
          landed = true;
          // Another agent's delayed write, built from a list read before ours, lands a little later.
          setTimeout(() => {
            setIds(emu, julien, ['X509:<PN>colleague@example.org']);
          }, 30);
        }
        return undefined;
      },
    };
    const settleDesk = createDesk(stale, agentFor(emu), { settleMs: 120 });
    try {
      const outcome = await settleDesk.service.apply({ source: cert(card), userId: julien });
      expect(outcome.status).toBe('written');
      const ids = idsOf(emu, julien);
      expect(ids).toContain('X509:<PN>colleague@example.org');
      expect(ski(ids)).toHaveLength(1);
      expect(outcome.unexpected?.appeared).toContain('X509:<PN>colleague@example.org');
      expect(outcome.unexpected?.disappeared).toHaveLength(1);
    } finally {
      settleDesk.close();
    }
  });

  it('finds no conflict with the holder’s own account, and journals a failed search', async () => {
    await desk.service.apply({ source: cert(card), userId: julien });
    const found = await desk.service.findCandidates(cert(card));
    expect(found.candidates[0]?.id).toBe(julien);
    expect(found.conflicts).toEqual([]);
    await emu.graph.setOffline(true);
    await expect(desk.service.findCandidates(cert(card))).rejects.toMatchObject({ code: 'graph.offline' });
    const last = (await desk.service.journal(1)).entries[0];
    expect(last?.kind).toBe('search-failed');
  });

  it('shows a synced user’s AD instruction (PowerShell, Entra Connect rule) and journals that it was noted', async () => {
    const plan = await desk.service.plan({ source: cert(mathieuCard), userId: mathieu });
    expect(plan.adInstruction?.powershell).toMatch(
      /^Set-ADUser -Identity '.+' -Add @\{altSecurityIdentities=@\('X509:/,
    );
    expect(plan.adInstruction?.outboundExpression).toContain('alternativeSecurityId');
    const noted = await desk.service.noteAdInstruction({ source: cert(mathieuCard), userId: mathieu });
    const journal = await desk.service.journal(1);
    expect(journal.entries[0]).toMatchObject({ seq: noted.journalSeq, kind: 'ad-instruction-noted' });
    await expect(desk.service.noteAdInstruction({ source: cert(card), userId: julien })).rejects.toMatchObject({
      code: 'enrollment.not-a-synced-user',
    });
  });
});
