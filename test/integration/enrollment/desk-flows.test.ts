import { beforeAll, describe, expect, it } from 'vitest';
import type { GraphService } from '../../../electron/services/graph/index';
import { AppError } from '../../../shared/errors';
import { certificateUserIdsFromDer } from '../../../shared/mapping';
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
  const suite = useDeskSuite();
  let card: string;
  let renewed: string;
  let mathieuCard: string;
  let upn: string;

  beforeAll(async () => {
    [card, renewed, mathieuCard] = await Promise.all([
      issueCard(practitioner('Clémence', 'Michel', '10100000001', '2800000001')),
      issueCard(practitioner('Clémence', 'Michel', '10100000001', '2800000002')),
      issueCard(practitioner('Mathieu', 'Thomas', '10100000003', '2800000003')),
    ]);
    const holder = suite.emu.graph.tenant('clinique-demo').users.find((u) => u.id === julien);
    upn = typeof holder?.userPrincipalName === 'string' ? holder.userPrincipalName : '';
  }, 60_000);

  it('queues an enrollment by UPN while offline and plans it fully on replay (GET, merge, PATCH, group, verify)', async () => {
    setIds(suite.emu, julien, ['X509:<PN>unrelated@example.org']);
    await suite.emu.graph.setOffline(true);
    const queued = await suite.desk.service.apply({ source: cert(card), userId: upn, userPrincipalName: upn });
    expect(queued).toMatchObject({ status: 'queued', userPrincipalName: upn });
    const view = await suite.desk.service.queue();
    expect(view.items.map((i) => i.userPrincipalName)).toEqual([upn]);
    expect(view.isOnline).toBe(false);

    await suite.emu.graph.setOffline(false);
    // A name match alone is no proof the typed UPN is the card holder (homonyms): the step waits for the agent.
    const held = await suite.desk.service.replay();
    expect(held.items).toMatchObject([{ state: 'needs-confirmation', hold: { userId: julien, confidence: 'medium' } }]);
    expect(patchesTo(suite.emu, julien)).toBe(0);
    expect((await suite.desk.service.confirmItem(held.items[0]?.id ?? 0, julien)).items).toEqual([]);
    const ids = idsOf(suite.emu, julien);
    expect(ids).toContain('X509:<PN>unrelated@example.org');
    expect(ski(ids)).toHaveLength(1);
    expect(suite.emu.graph.tenant('clinique-demo').members[CBA_GROUP]).toContain(julien);
    const journal = await suite.desk.service.journal(10);
    expect(journal.entries.map((e) => e.kind).filter((k) => k !== 'attempt')).toEqual([
      'queued',
      'held-for-confirmation',
      'queue-confirmed',
      'replayed',
      'group-added',
    ]);
    expect(journal.entries.find((e) => e.kind === 'replayed')?.userPrincipalName).toBe(upn);
  });

  it('counts a token refresh failing offline as offline: the step is queued, not refused', async () => {
    const noAuthority: GraphService = {
      ...suite.graph,
      get: () => Promise.reject(new AppError('identity.offline', { details: { host: 'login' } })),
      batch: () => Promise.reject(new AppError('identity.offline', { details: { host: 'login' } })),
    };
    const offlineDesk = createDesk(noAuthority, agentFor(suite.emu));
    try {
      const outcome = await offlineDesk.service.apply({ source: cert(card), userId: upn, userPrincipalName: upn });
      expect(outcome.status).toBe('queued');
      await expect(offlineDesk.service.findCandidates(cert(card))).rejects.toMatchObject({ code: 'identity.offline' });
      const kinds = (await offlineDesk.service.journal(10)).entries.map((e) => e.kind);
      expect(kinds).toEqual(['attempt', 'queued', 'search-failed']);
    } finally {
      offlineDesk.close();
    }
  });

  it('replays pending items by itself after a restart, and again as soon as the network is back', async () => {
    await suite.emu.graph.setOffline(true);
    await suite.desk.service.apply({ source: cert(card), userId: julien, userPrincipalName: upn });
    suite.desk.service.close();
    suite.desk.store.close();
    // Restart while still offline: the service probes with backoff, then replays when Graph answers again.
    const restarted = createDesk(
      suite.graph,
      agentFor(suite.emu),
      { autoReplay: { baseDelayMs: 10, maxDelayMs: 40 } },
      suite.desk.dir,
    );
    suite.desk = restarted;
    const tried = async () =>
      (await restarted.service.journal(10)).entries.some((e) => e.kind === 'replay-failed') &&
      (await restarted.service.queue()).items.length === 1;
    expect(await until(tried)).toBe(true);
    expect((await restarted.service.queue()).items[0]?.userPrincipalName).toBe(upn);
    await suite.emu.graph.setOffline(false);
    const replayed = async () =>
      (await restarted.service.journal(10)).entries.some((e) => e.kind === 'replayed') &&
      (await restarted.service.queue()).items.length === 0;
    expect(await until(replayed)).toBe(true);
    expect(ski(idsOf(suite.emu, julien))).toHaveLength(1);
    expect(patchesTo(suite.emu, julien)).toBe(1);
  });

  it('runs an older queued removal before a newer write of the same user', async () => {
    await suite.desk.service.apply({ source: cert(card), userId: julien });
    await suite.emu.graph.setOffline(true);
    expect((await suite.desk.service.remove({ source: cert(card), userId: julien, reason: 'lost' })).status).toBe(
      'queued',
    );
    await suite.emu.graph.setOffline(false);
    const rewritten = await suite.desk.service.apply({ source: cert(renewed), userId: julien });
    expect(rewritten.status).toBe('written');
    expect((await suite.desk.service.queue()).items).toEqual([]);
    expect(await suite.desk.service.replay()).toMatchObject({ items: [] });
    const after = idsOf(suite.emu, julien);
    const newSki = (await valuesOf(renewed)).SKI ?? '';
    expect(ski(after)).toEqual([newSki]);
  });

  it('removing a replaced card keeps the PrincipalName the new card shares, and journals the reason', async () => {
    const old = await valuesOf(card);
    const next = await valuesOf(renewed);
    const pn = old.PrincipalName ?? '';
    expect(pn).toBe(next.PrincipalName);
    setIds(suite.emu, julien, [pn, old.SKI ?? '', next.SKI ?? '', 'X509:<PN>other@example.org']);

    const preview = await suite.desk.service.planRemoval({ source: cert(card), userId: julien, reason: 'replaced' });
    expect(preview.remove).toEqual([old.SKI]);
    expect(preview.kept).toEqual([{ value: pn, reason: 'shared-with-enrolled-card' }]);
    expect(preview.oldCardStillMatches).toBe(false);
    expect(idsOf(suite.emu, julien)).toHaveLength(4);

    const outcome = await suite.desk.service.remove({ source: cert(card), userId: julien, reason: 'replaced' });
    expect(outcome.status).toBe('removed');
    expect(idsOf(suite.emu, julien)).toEqual([pn, next.SKI, 'X509:<PN>other@example.org']);
    const journal = await suite.desk.service.journal(5);
    expect(journal.entries.map((e) => e.kind)).toEqual(['preview-read', 'attempt', 'mapping-removed']);

    // With no other card left, a lost card loses everything it had.
    setIds(suite.emu, julien, [pn, old.SKI ?? '']);
    const lost = await suite.desk.service.planRemoval({ source: cert(card), userId: julien, reason: 'lost' });
    expect(lost.remove).toEqual([pn, old.SKI]);
    expect(lost.kept).toEqual([]);
  });

  it('removes by loaded certificate (holders found by reverse lookup) and by user (picked values)', async () => {
    await suite.desk.service.apply({ source: cert(card), userId: julien });
    const holders = await suite.desk.service.findHolders(cert(card));
    expect(holders.users.map((u) => u.id)).toEqual([julien]);

    setIds(suite.emu, julien, [...idsOf(suite.emu, julien), 'X509:<PN>keep@example.org']);
    const found = await suite.desk.service.searchUsers('Clémence');
    const user = found.users.find((u) => u.id === julien);
    expect(user?.certificateUserIds).toHaveLength(2);
    const pick = ski(user?.certificateUserIds ?? []);
    const preview = await suite.desk.service.planRemoval({ userId: julien, values: pick, reason: 'other' });
    expect(preview.remove).toEqual(pick);
    expect(preview.next).toEqual(['X509:<PN>keep@example.org']);
    expect((await suite.desk.service.remove({ userId: julien, values: pick, reason: 'stolen' })).status).toBe(
      'removed',
    );
    expect(idsOf(suite.emu, julien)).toEqual(['X509:<PN>keep@example.org']);
  });

  it('re-reads right before the PATCH: a value another agent wrote meanwhile is merged and reported', async () => {
    let injected = false;
    const racing: GraphService = {
      ...suite.graph,
      batch: async (items) => {
        const results = await suite.graph.batch(items);
        if (!injected) {
          injected = true;
          // Another agent writes and verifies between our first GET and our PATCH.
          setIds(suite.emu, julien, ['X509:<PN>colleague@example.org']);
        }
        return results;
      },
    };
    const raceDesk = createDesk(racing, agentFor(suite.emu));
    try {
      const outcome = await raceDesk.service.apply({ source: cert(card), userId: julien });
      expect(outcome.status).toBe('written');
      expect(outcome.unexpected?.appeared).toEqual(['X509:<PN>colleague@example.org']);
      expect(idsOf(suite.emu, julien)).toContain('X509:<PN>colleague@example.org');
      expect(patchesTo(suite.emu, julien)).toBe(1);
    } finally {
      raceDesk.close();
    }
  });

  it('a stale PATCH of another agent landing after our verify read is caught by the settle read and merged', async () => {
    let landed = false;
    const stale: GraphService = {
      ...suite.graph,
      patch: async (path, body, options) => {
        await suite.graph.patch(path, body, options);
        if (!landed) {
          landed = true;
          // Another agent's delayed write, built from a list read before ours, lands a little later.
          setTimeout(() => {
            setIds(suite.emu, julien, ['X509:<PN>colleague@example.org']);
          }, 30);
        }
        return undefined;
      },
    };
    const settleDesk = createDesk(stale, agentFor(suite.emu), { settleMs: 120 });
    try {
      const outcome = await settleDesk.service.apply({ source: cert(card), userId: julien });
      expect(outcome.status).toBe('written');
      const ids = idsOf(suite.emu, julien);
      expect(ids).toContain('X509:<PN>colleague@example.org');
      expect(ski(ids)).toHaveLength(1);
      expect(outcome.unexpected?.appeared).toContain('X509:<PN>colleague@example.org');
      expect(outcome.unexpected?.disappeared).toHaveLength(1);
    } finally {
      settleDesk.close();
    }
  });

  it('finds no conflict with the holder’s own account, and journals a failed search', async () => {
    await suite.desk.service.apply({ source: cert(card), userId: julien });
    const found = await suite.desk.service.findCandidates(cert(card));
    expect(found.candidates[0]?.id).toBe(julien);
    expect(found.conflicts).toEqual([]);
    await suite.emu.graph.setOffline(true);
    await expect(suite.desk.service.findCandidates(cert(card))).rejects.toMatchObject({ code: 'graph.offline' });
    const last = (await suite.desk.service.journal(1)).entries[0];
    expect(last?.kind).toBe('search-failed');
  });

  it('shows a synced user’s AD instruction (PowerShell, Entra Connect rule) and journals that it was noted', async () => {
    const seeded = await suite.desk.service.plan({ source: cert(mathieuCard), userId: mathieu });
    // Entra Connect syncs the AD distinguished name: the command names the account by it.
    expect(seeded.adInstruction?.powershell).toMatch(
      /^Set-ADUser -Identity 'CN=Mathieu Thomas,OU=Praticiens,DC=clinique,DC=local' -Add @\{altSecurityIdentities=@\('X509:/,
    );
    const account = suite.emu.graph.tenant('clinique-demo').users.find((u) => u.id === mathieu);
    if (account === undefined) {
      throw new Error('seeded synced user missing');
    }
    // An account synced without them (older sync rules) keeps only its on-premises UPN, which -Identity does not
    // take: the account is then found by an LDAP filter.
    Object.assign(account, { onPremisesDistinguishedName: null, onPremisesSamAccountName: null });
    const plan = await suite.desk.service.plan({ source: cert(mathieuCard), userId: mathieu });
    expect(plan.adInstruction?.powershell).toMatch(
      /^Get-ADUser -LDAPFilter '\(userPrincipalName=mathieu\.thomas@clinique\.local\)' \| Set-ADUser -Add @\{altSecurityIdentities=@\('X509:/,
    );
    expect(plan.adInstruction?.outboundExpression).toContain('alternativeSecurityId');
    const noted = await suite.desk.service.noteAdInstruction({ source: cert(mathieuCard), userId: mathieu });
    const journal = await suite.desk.service.journal(1);
    expect(journal.entries[0]).toMatchObject({ seq: noted.journalSeq, kind: 'ad-instruction-noted' });
    await expect(suite.desk.service.noteAdInstruction({ source: cert(card), userId: julien })).rejects.toMatchObject({
      code: 'enrollment.not-a-synced-user',
    });
  });

  it('names a synced account by its AD distinguished name, and a renewal or a removal takes the old card off', async () => {
    const oldCard = await issueCard(practitioner('Mathieu', 'Thomas', '10100000003', '2800000004'));
    const [oldSki, newSki] = (await Promise.all([valuesOf(oldCard), valuesOf(mathieuCard)])).map((v) => v.SKI ?? '');
    const account = suite.emu.graph.tenant('clinique-demo').users.find((u) => u.id === mathieu);
    if (account === undefined) {
      throw new Error('seeded synced user missing');
    }
    // A distinguished name that needs quoting (comma, apostrophe, accent).
    const dn = "CN=Thomas\\, Mathieu,OU=Médecins d'urgence,DC=clinique,DC=local";
    Object.assign(account, {
      onPremisesDistinguishedName: dn,
      onPremisesSamAccountName: 'mthomas',
      authorizationInfo: { certificateUserIds: [oldSki] },
    });
    const identity = "Set-ADUser -Identity 'CN=Thomas\\, Mathieu,OU=Médecins d''urgence,DC=clinique,DC=local'";

    const renewal = await suite.desk.service.plan({ source: cert(mathieuCard), userId: mathieu, isRenewal: true });
    expect(renewal.writePath).toBe('entra-connect');
    expect(renewal.removed).toEqual([oldSki]);
    expect(renewal.adInstruction?.powershell).toBe(
      `${identity} -Remove @{altSecurityIdentities=@('${oldSki}')} -Add @{altSecurityIdentities=@('${newSki}')}`,
    );
    const removal = await suite.desk.service.planRemoval({ source: cert(oldCard), userId: mathieu, reason: 'lost' });
    expect(removal.altSecurityIdentities).toEqual([oldSki]);
    expect(removal.adPowershell).toBe(`${identity} -Remove @{altSecurityIdentities=@('${oldSki}')}`);
    expect(suite.emu.graph.requests.some((r) => r.method === 'PATCH')).toBe(false);
  });
});
