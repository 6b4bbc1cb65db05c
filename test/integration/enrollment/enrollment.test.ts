import { beforeAll, describe, expect, it } from 'vitest';
import type { GraphService } from '../../../electron/services/graph/index';
import { AppError } from '../../../shared/errors';
import { CERTIFICATE_USER_IDS_LIMITS } from '../../../shared/mapping/certificate-user-ids';
import { demoReader } from '../../helpers/emulators/index';
import {
  agentFor,
  createDesk,
  graphFor,
  idsOf,
  issueCard,
  patchesTo,
  practitioner,
  setIds,
  staffId,
  useDeskSuite,
} from './harness';

const CBA_GROUP = '00000002-0002-4000-8000-000000000001';
const julien = staffId(13); // Clémence Michel: cloud-only, no mapping yet, not in the CBA group
const mathieu = staffId(3); // Mathieu Thomas: synced from AD
const chloe = staffId(2); // Chloé Dubois: cloud-only

const cert = (derBase64: string) => ({ kind: 'certificate' as const, derBase64 });
const codeOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
    return 'resolved';
  } catch (error) {
    return error instanceof AppError ? error.code : String(error);
  }
};
const ski = (ids: readonly string[]) => ids.filter((v) => v.startsWith('X509:<SKI>'));

describe('enrollment service against the Graph emulator', () => {
  const suite = useDeskSuite();
  let julienCard: string;
  let julienRenewed: string;
  let mathieuCard: string;

  beforeAll(async () => {
    [julienCard, julienRenewed, mathieuCard] = await Promise.all([
      issueCard(practitioner('Clémence', 'Michel', '10100000001', '2800000001')),
      issueCard(practitioner('Clémence', 'Michel', '10100000001', '2800000002')),
      issueCard(practitioner('Mathieu', 'Thomas', '10100000003', '2800000003')),
    ]);
  }, 60_000);

  it('finds the practitioner by name, enrolls the card, adds to the CBA group and journals it', async () => {
    const found = await suite.desk.service.findCandidates(cert(julienCard));
    expect(found.candidates[0]?.id).toBe(julien);
    expect(found.conflicts).toEqual([]);

    const plan = await suite.desk.service.plan({ source: cert(julienCard), userId: julien });
    expect(plan.refusal).toBeNull();
    expect(plan.writePath).toBe('graph');
    expect(plan.requests.map((r) => r.method)).toEqual(['GET', 'PATCH', 'POST', 'GET']);
    // clinique-demo binds only SKI to certificateUserIds: PrincipalName is explained, not written.
    expect(plan.values.map((v) => v.form)).toEqual(['SKI']);
    expect(plan.explanations.some((e) => e.code === 'bindings.form-not-bound' && e.form === 'PrincipalName')).toBe(
      true,
    );

    const outcome = await suite.desk.service.apply({ source: cert(julienCard), userId: julien });
    expect(outcome.status).toBe('written');
    expect(idsOf(suite.emu, julien)).toEqual(plan.next);
    expect(suite.emu.graph.tenant('clinique-demo').members[CBA_GROUP]).toContain(julien);

    const again = await suite.desk.service.apply({ source: cert(julienCard), userId: julien });
    expect(again.status).toBe('unchanged');
    expect(patchesTo(suite.emu, julien)).toBe(1);

    const journal = await suite.desk.service.journal(50);
    expect(journal.verification.isIntact).toBe(true);
    // Each write is preceded by its attempt (claimed with the planned values, before anything is sent).
    expect(journal.entries.map((e) => e.kind)).toEqual([
      'card-read',
      'preview-read',
      'attempt',
      'mapping-written',
      'group-added',
      'attempt',
      'mapping-written',
    ]);
    expect(journal.entries[3]?.cardNumber).toBe('2800000001');
    expect(journal.entries[3]?.agent).toBe('camille.admin@clinique-demo.fr');
  });

  it('a confirmed renewal replaces the previous card values and keeps unrelated ones', async () => {
    setIds(suite.emu, julien, ['X509:<PN>other@example.org']);
    await suite.desk.service.apply({ source: cert(julienCard), userId: julien });
    const before = ski(idsOf(suite.emu, julien));
    // Without the renewal confirmed, the preview points at the other card's values it would keep.
    const unconfirmed = await suite.desk.service.plan({ source: cert(julienRenewed), userId: julien });
    expect(unconfirmed.otherCardValues).toEqual(before);
    expect(unconfirmed.removed).toEqual([]);
    const confirmed = await suite.desk.service.plan({ source: cert(julienRenewed), userId: julien, isRenewal: true });
    expect(confirmed.otherCardValues).toEqual([]);
    expect(confirmed.removed).toEqual(before);
    const outcome = await suite.desk.service.apply({ source: cert(julienRenewed), userId: julien, isRenewal: true });
    const after = idsOf(suite.emu, julien);
    expect(outcome.status).toBe('written');
    expect(ski(after)).toHaveLength(1);
    expect(ski(after)).not.toEqual(before);
    expect(after).toContain('X509:<PN>other@example.org');
  });

  it('removes a card mapping', async () => {
    await suite.desk.service.apply({ source: cert(julienCard), userId: julien });
    const outcome = await suite.desk.service.remove({ source: cert(julienCard), userId: julien });
    expect(outcome.status).toBe('removed');
    expect(idsOf(suite.emu, julien)).toEqual([]);
    const kinds = (await suite.desk.service.journal(10)).entries.map((e) => e.kind);
    expect(kinds.at(-1)).toBe('mapping-removed');
  });

  it('never patches a synced user: gives the altSecurityIdentities values instead', async () => {
    const plan = await suite.desk.service.plan({ source: cert(mathieuCard), userId: mathieu });
    expect(plan.writePath).toBe('entra-connect');
    expect(plan.altSecurityIdentities).toEqual(plan.values.map((v) => v.value));
    expect(plan.requests).toEqual([]);
    const outcome = await suite.desk.service.apply({ source: cert(mathieuCard), userId: mathieu });
    expect(outcome.status).toBe('synced-user');
    expect(suite.emu.graph.requests.some((r) => r.method === 'PATCH')).toBe(false);
  });

  it('refuses before sending when another user already holds one of the values', async () => {
    const value = (await suite.desk.service.plan({ source: cert(julienCard), userId: julien })).values[0]?.value ?? '';
    setIds(suite.emu, chloe, [value]);
    const found = await suite.desk.service.findCandidates(cert(julienCard));
    expect(found.conflicts.map((c) => c.userId)).toEqual([chloe]);
    const plan = await suite.desk.service.plan({ source: cert(julienCard), userId: julien });
    expect(plan.refusal?.code).toBe('enrollment.uniqueness-conflict');
    expect(await codeOf(suite.desk.service.apply({ source: cert(julienCard), userId: julien }))).toBe(
      'enrollment.uniqueness-conflict',
    );
    expect(suite.emu.graph.requests.some((r) => r.method === 'PATCH')).toBe(false);
  });

  it('refuses before sending when the value limit would be exceeded', async () => {
    setIds(
      suite.emu,
      julien,
      Array.from({ length: CERTIFICATE_USER_IDS_LIMITS.maxValues }, (_, n) => `X509:<PN>old${String(n)}@example.org`),
    );
    expect(await codeOf(suite.desk.service.apply({ source: cert(julienCard), userId: julien }))).toBe(
      'mapping.limit-exceeded',
    );
    expect(suite.emu.graph.requests.some((r) => r.method === 'PATCH')).toBe(false);
  });

  it('explains the missing Privileged Authentication Administrator role', async () => {
    const readerGraph = graphFor(suite.emu, demoReader);
    const readerDesk = createDesk(readerGraph, agentFor(suite.emu, demoReader));
    try {
      expect(await codeOf(readerDesk.service.apply({ source: cert(julienCard), userId: julien }))).toBe(
        'enrollment.missing-role',
      );
    } finally {
      readerDesk.close();
      readerGraph.close();
    }
  });

  it('reports an unknown user as not found', async () => {
    expect(
      await codeOf(
        suite.desk.service.apply({ source: cert(julienCard), userId: '00000002-0001-4000-8000-000000009999' }),
      ),
    ).toBe('enrollment.user-not-found');
  });

  it('detects another agent overwriting the list on re-read and merges again, keeping their value', async () => {
    let first = true;
    const racing: GraphService = {
      ...suite.graph,
      patch: async (path, body, options) => {
        await suite.graph.patch(path, body, options);
        if (first) {
          first = false;
          // Another agent's PATCH, built from a read taken before ours, lands just after ours.
          setIds(suite.emu, julien, ['X509:<PN>colleague@example.org']);
        }
        return undefined;
      },
    };
    const raceDesk = createDesk(racing, agentFor(suite.emu));
    try {
      const outcome = await raceDesk.service.apply({ source: cert(julienCard), userId: julien });
      expect(outcome.status).toBe('written');
      const ids = idsOf(suite.emu, julien);
      expect(ids).toContain('X509:<PN>colleague@example.org');
      expect(ski(ids)).toHaveLength(1);
      expect(patchesTo(suite.emu, julien)).toBe(2);
    } finally {
      raceDesk.close();
    }
  });

  it('queues when Graph is offline, then replays in order and writes exactly once', async () => {
    await suite.emu.graph.setOffline(true);
    const queued = await suite.desk.service.apply({ source: cert(julienCard), userId: julien });
    expect(queued.status).toBe('queued');
    const view = await suite.desk.service.queue();
    expect(view.items).toHaveLength(1);
    expect(view.isOnline).toBe(false);

    await suite.emu.graph.setOffline(false);
    const after = await suite.desk.service.replay();
    expect(after.items).toEqual([]);
    expect(ski(idsOf(suite.emu, julien))).toHaveLength(1);
    expect(patchesTo(suite.emu, julien)).toBe(1);
    expect(await suite.desk.service.replay()).toMatchObject({ items: [] });
    expect(patchesTo(suite.emu, julien)).toBe(1);
    const journal = await suite.desk.service.journal(20);
    expect(journal.entries.map((e) => e.kind)).toEqual(['attempt', 'queued', 'attempt', 'replayed', 'group-added']);
    expect(journal.verification.isIntact).toBe(true);
  });

  it('a write that landed before the connection dropped is found on replay, not repeated', async () => {
    const lossy: GraphService = {
      ...suite.graph,
      patch: async (path, body, options) => {
        await suite.graph.patch(path, body, options);
        throw new AppError('graph.offline', { details: { outcomeUnknown: true } });
      },
    };
    const lossyDesk = createDesk(lossy, agentFor(suite.emu));
    try {
      expect((await lossyDesk.service.apply({ source: cert(julienCard), userId: julien })).status).toBe('queued');
    } finally {
      lossyDesk.service.close();
      lossyDesk.store.close();
    }
    // The app restarts on the same database with a working network.
    const restarted = createDesk(suite.graph, agentFor(suite.emu), {}, lossyDesk.dir);
    try {
      const state = await restarted.service.replay();
      expect(state.items).toEqual([]);
      expect(patchesTo(suite.emu, julien)).toBe(1);
      // The write landed before the reply was lost: the replay finds it there and says written, not unchanged.
      const last = (await restarted.service.journal(10)).entries.find((e) => e.kind === 'replayed');
      expect(last?.summary).toContain('written');
      const stored = (await restarted.store.journal.list({ limit: 50 })).find((e) => e.kind === 'replayed');
      expect(stored?.details).toMatchObject({ status: 'written', confirmedOnReplay: true });
    } finally {
      restarted.close();
    }
  });
});
