import { beforeAll, describe, expect, it } from 'vitest';
import type { QueueItemView } from '../../../shared/contract/enrollment';
import { queueItemViewSchema, queueStateSchema } from '../../../shared/contract/enrollment';
import type { GraphService } from '../../../electron/services/graph/index';
import type { JournalEntry } from '../../../electron/services/store';
import {
  agentFor,
  createDesk,
  idsOf,
  issueCard,
  patchesTo,
  practitioner,
  setIds,
  staffId,
  useDeskSuite,
} from './harness';

const clemence = staffId(13); // Clémence Michel: cloud-only, no mapping yet
const cert = (derBase64: string) => ({ kind: 'certificate' as const, derBase64 });
const ski = (ids: readonly string[]) => ids.filter((v) => v.startsWith('X509:<SKI>'));

/** Every journal entry of a desk, details included. */
async function entries(store: { journal: { list(o: { limit: number }): Promise<JournalEntry[]> } }) {
  return store.journal.list({ limit: 500 });
}

describe('replay: refused and held steps stay with the agent; landed writes are said written', () => {
  const suite = useDeskSuite();
  let homonymCard: string;
  let heleneCard: string;
  let heleneUpn: string;
  let heleneId: string;
  let announced: QueueItemView[];

  beforeAll(async () => {
    [homonymCard, heleneCard] = await Promise.all([
      // Same name as the seeded Clémence Michel, another practitioner (another RPPS): a homonym.
      issueCard(practitioner('Clémence', 'Michel', '10100000077', '2800000077')),
      // The demo holder, RPPS in employeeId.
      issueCard(practitioner('Hélène', 'Léger-Dupré', '10101234567', '2800000900')),
    ]);
    const helene = suite.emu.graph.tenant('clinique-demo').users.find((u) => u.employeeId === '10101234567');
    heleneUpn = typeof helene?.userPrincipalName === 'string' ? helene.userPrincipalName : '';
    heleneId = typeof helene?.id === 'string' ? helene.id : '';
  }, 60_000);

  /** A fresh desk that records the replay-failed announcements. */
  const announcingDesk = () => {
    suite.desk.close();
    announced = [];
    suite.desk = createDesk(suite.graph, agentFor(suite.emu), {
      onReplayFailed: (item) => announced.push(queueItemViewSchema.parse(item)),
    });
    return suite.desk;
  };

  const upnOf = (id: string): string => {
    const upn = suite.emu.graph.tenant('clinique-demo').users.find((u) => u.id === id)?.userPrincipalName;
    return typeof upn === 'string' ? upn : '';
  };

  it('keeps a refused replay visible with its error, announces it, and journals the dismissal', async () => {
    const desk = announcingDesk();
    await suite.emu.graph.setOffline(true);
    const typo = 'clemence.michle@clinique-demo.fr';
    await desk.service.apply({ source: cert(homonymCard), userId: typo, userPrincipalName: typo });
    await suite.emu.graph.setOffline(false);

    const after = queueStateSchema.parse(await desk.service.replay());
    expect(after.items).toHaveLength(1);
    expect(after.items[0]).toMatchObject({
      userPrincipalName: typo,
      state: 'failed-permanent',
      lastError: 'enrollment.user-not-found',
    });
    expect(announced).toHaveLength(1);
    expect(announced[0]).toMatchObject({ id: after.items[0]?.id, state: 'failed-permanent' });

    // Still refused on retry: it stays, announced again.
    const id = after.items[0]?.id ?? 0;
    const retried = await desk.service.retryItem(id);
    expect(retried.items.map((i) => i.state)).toEqual(['failed-permanent']);
    expect(announced).toHaveLength(2);

    const dismissed = await desk.service.dismissItem(id);
    expect(dismissed.items).toEqual([]);
    const kinds = (await entries(desk.store)).map((e) => e.kind);
    expect(kinds).toContain('queue-retried');
    expect(kinds.at(-1)).toBe('queue-dismissed');
    const last = (await entries(desk.store)).at(-1);
    expect(last?.agent.upn).toBe(agentFor(suite.emu).upn);
    expect(last?.details).toMatchObject({ previousState: 'failed-permanent', lastError: 'enrollment.user-not-found' });
    await expect(desk.service.dismissItem(id)).rejects.toMatchObject({ code: 'store.invalid-transition' });
  });

  it('retries a refused step once the cause is fixed (value limit) and writes it', async () => {
    const desk = announcingDesk();
    const full = Array.from({ length: 10 }, (_, i) => `X509:<PN>autre.${String(i)}@example.org`);
    setIds(suite.emu, clemence, full);
    await suite.emu.graph.setOffline(true);
    await desk.service.apply({ source: cert(homonymCard), userId: clemence });
    await suite.emu.graph.setOffline(false);
    const refused = await desk.service.replay();
    expect(refused.items[0]).toMatchObject({ state: 'failed-permanent', lastError: 'mapping.limit-exceeded' });
    expect(patchesTo(suite.emu, clemence)).toBe(0);

    setIds(suite.emu, clemence, full.slice(0, 3));
    const done = await desk.service.retryItem(refused.items[0]?.id ?? 0);
    expect(done.items).toEqual([]);
    expect(ski(idsOf(suite.emu, clemence))).toHaveLength(1);
    expect(patchesTo(suite.emu, clemence)).toBe(1);
  });

  it('holds a step queued by UPN whose account is only a namesake of the card holder, until the agent confirms', async () => {
    const desk = announcingDesk();
    const upn = upnOf(clemence);
    await suite.emu.graph.setOffline(true);
    await desk.service.apply({ source: cert(homonymCard), userId: upn, userPrincipalName: upn });
    await suite.emu.graph.setOffline(false);

    const held = await desk.service.replay();
    expect(held.items).toHaveLength(1);
    const item = held.items[0];
    expect(item).toMatchObject({
      state: 'needs-confirmation',
      lastError: 'enrollment.needs-confirmation',
      hold: { userId: clemence, userPrincipalName: upn, confidence: 'medium', reasons: ['exact-name'] },
    });
    expect(item?.hold?.cardHolder).toMatch(/Clémence/);
    expect(announced.map((a) => a.state)).toEqual(['needs-confirmation']);
    expect(patchesTo(suite.emu, clemence)).toBe(0);
    expect(idsOf(suite.emu, clemence)).toEqual([]);
    // Replaying again does not write either: the item waits for the agent.
    expect((await desk.service.replay()).items.map((i) => i.state)).toEqual(['needs-confirmation']);
    expect(patchesTo(suite.emu, clemence)).toBe(0);

    await expect(desk.service.confirmItem(item?.id ?? 0, heleneId)).rejects.toMatchObject({
      code: 'enrollment.confirmation-mismatch',
    });
    const confirmed = await desk.service.confirmItem(item?.id ?? 0, clemence);
    expect(confirmed.items).toEqual([]);
    expect(ski(idsOf(suite.emu, clemence))).toHaveLength(1);
    const kinds = (await entries(desk.store)).map((e) => e.kind);
    expect(kinds.filter((k) => k !== 'attempt')).toEqual([
      'queued',
      'held-for-confirmation',
      'queue-confirmed',
      'replayed',
      'group-added',
    ]);
  });

  it('writes a step queued by UPN at once when the account carries the card holder’s identifier', async () => {
    const desk = announcingDesk();
    await suite.emu.graph.setOffline(true);
    await desk.service.apply({ source: cert(heleneCard), userId: heleneUpn, userPrincipalName: heleneUpn });
    await suite.emu.graph.setOffline(false);
    expect((await desk.service.replay()).items).toEqual([]);
    expect(ski(idsOf(suite.emu, heleneId))).toHaveLength(1);
    expect(announced).toEqual([]);
  });

  it('a dismissed held step is never written', async () => {
    const desk = announcingDesk();
    const upn = upnOf(clemence);
    await suite.emu.graph.setOffline(true);
    await desk.service.apply({ source: cert(homonymCard), userId: upn, userPrincipalName: upn });
    await suite.emu.graph.setOffline(false);
    const held = await desk.service.replay();
    await desk.service.dismissItem(held.items[0]?.id ?? 0);
    expect((await desk.service.replay()).items).toEqual([]);
    expect(patchesTo(suite.emu, clemence)).toBe(0);
  });

  it('journals a write whose reply was lost as written (confirmed on replay), not unchanged', async () => {
    const desk = announcingDesk();
    setIds(suite.emu, clemence, []);
    suite.emu.graph.setFaults([
      { kind: 'reset-after-apply', route: new RegExp(`^PATCH /users/${clemence}`), times: 1 },
    ]);
    const first = await desk.service.apply({ source: cert(homonymCard), userId: clemence }).catch(() => null);
    expect(ski(idsOf(suite.emu, clemence))).toHaveLength(1);
    if (first?.status !== 'written') {
      await desk.service.replay();
    }
    const journal = await entries(desk.store);
    const results = journal.filter((e) => e.kind === 'replayed' || e.kind === 'mapping-written');
    expect(results).toHaveLength(1);
    expect(results[0]?.details.status).toBe('written');
    expect(journal.filter((e) => e.kind === 'attempt').length).toBeGreaterThanOrEqual(1);
    expect(patchesTo(suite.emu, clemence)).toBeGreaterThanOrEqual(1);
    expect((await desk.service.queue()).items).toEqual([]);
  });

  it('after a crash between sending and recording, the restarted desk records the landed write as written', async () => {
    const desk = announcingDesk();
    setIds(suite.emu, clemence, []);
    // The PATCH reaches Graph, then the process "dies": the reply never comes back to the step.
    let sent = 0;
    const dying: GraphService = {
      ...suite.graph,
      patch: async (...args: Parameters<GraphService['patch']>) => {
        await suite.graph.patch(...args);
        sent += 1;
        return new Promise<never>(() => undefined);
      },
    };
    const doomed = createDesk(dying, agentFor(suite.emu), {}, desk.dir);
    void doomed.service.apply({ source: cert(homonymCard), userId: clemence });
    for (let i = 0; i < 500 && sent === 0; i += 1) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(sent).toBe(1);
    doomed.service.close();
    doomed.store.close();
    desk.service.close();
    desk.store.close();

    const restarted = createDesk(suite.graph, agentFor(suite.emu), {}, desk.dir);
    suite.desk = restarted;
    expect(restarted.store.recoveredInFlight).toBe(1);
    expect((await restarted.service.replay()).items).toEqual([]);
    const journal = await entries(restarted.store);
    expect(journal.map((e) => e.kind)).toEqual(['attempt', 'attempt', 'replayed', 'group-added']);
    expect(journal[0]?.details).toMatchObject({ op: 'write', attempt: 1, mayHaveBeenSentBefore: false });
    expect(journal[0]?.details.values).toEqual(expect.arrayContaining([ski(idsOf(suite.emu, clemence))[0]]));
    expect(journal[1]?.details).toMatchObject({ attempt: 2, mayHaveBeenSentBefore: true });
    expect(journal[2]?.details).toMatchObject({ status: 'written', confirmedOnReplay: true });
    expect(patchesTo(suite.emu, clemence)).toBe(1);
    expect((await restarted.service.journal(10)).verification.isIntact).toBe(true);
  });
});
