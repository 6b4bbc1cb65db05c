/**
 * A CBA group id that is not a GUID (a group name typed in Paramètres by an earlier version, which did not check it)
 * is refused in the plan, before anything is sent: no PATCH, no group request, nothing half done — at the desk, on
 * replay of a queued step, and per row in bulk. A GUID group id still writes and adds the member.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { previewBulk } from '../../../electron/services/enrollment/bulk-preview';
import type { SourceRow } from '../../../electron/services/enrollment/bulk-source';
import { getSharedTestPki, issueCardCertificates } from '../../../emulators/card/certificates';
import { AppError } from '../../../shared/errors';
import { agentFor, createDesk, idsOf, patchesTo, practitioner, staffId, useDeskSuite } from './harness';

const clemence = staffId(13); // Clémence Michel: cloud-only, no mapping yet
const BAD_GROUP = 'GG-PSC-Praticiens'; // the group's name, not its object id

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const cert = (der: Uint8Array) => ({ kind: 'certificate' as const, derBase64: b64(der) });
const errorOf = async (p: Promise<unknown>): Promise<AppError | string> => {
  try {
    await p;
    return 'resolved';
  } catch (error) {
    return error instanceof AppError ? error : String(error);
  }
};

describe('enrollment refuses a CBA group id that is not a GUID before any write', () => {
  const suite = useDeskSuite();
  let der: Uint8Array;

  /** Group requests (member adds) the emulator received. */
  const groupRequests = () => suite.emu.graph.requests.filter((r) => r.path.startsWith('/groups/')).length;
  const useGroup = (cbaGroupId: string) => {
    suite.desk.close();
    suite.desk = createDesk(suite.graph, agentFor(suite.emu), {
      config: () => Promise.resolve({ cbaGroupId, identifierAttribute: 'employeeId' }),
    });
  };

  beforeAll(async () => {
    const pki = await getSharedTestPki();
    const { authentication } = await issueCardCertificates(
      pki,
      practitioner('Clémence', 'Michel', '10100000001', '2800000201'),
    );
    der = authentication.der;
  }, 60_000);
  afterEach(async () => {
    await suite.emu.graph.setOffline(false);
  });

  it('the plan carries the refusal and no request; apply throws it with no PATCH, no group add, nothing pending', async () => {
    useGroup(BAD_GROUP);
    const plan = await suite.desk.service.plan({ source: cert(der), userId: clemence });
    expect(plan.refusal).toMatchObject({
      code: 'enrollment.invalid-cba-group',
      messageKey: 'errors.enrollment.invalid-cba-group',
      details: { groupId: BAD_GROUP },
    });
    expect(plan.requests).toEqual([]);
    const error = await errorOf(suite.desk.service.apply({ source: cert(der), userId: clemence }));
    expect(error).toMatchObject({ code: 'enrollment.invalid-cba-group' });
    expect(patchesTo(suite.emu, clemence)).toBe(0);
    expect(groupRequests()).toBe(0);
    expect(idsOf(suite.emu, clemence)).toEqual([]);
    // Like any refusal decided in apply, the step is kept as refused (never retried), not pending.
    expect((await suite.desk.service.queue()).items.map((i) => i.state)).not.toContain('pending');
  });

  it('a step queued offline is refused on replay, before its PATCH', async () => {
    useGroup(BAD_GROUP);
    await suite.emu.graph.setOffline(true);
    const queued = await suite.desk.service.apply({ source: cert(der), userId: clemence });
    expect(queued.status).toBe('queued');
    await suite.emu.graph.setOffline(false);
    const state = await suite.desk.service.replay();
    expect(state.items).toEqual([
      expect.objectContaining({ state: 'failed-permanent', lastError: 'enrollment.invalid-cba-group' }),
    ]);
    expect(patchesTo(suite.emu, clemence)).toBe(0);
    expect(groupRequests()).toBe(0);
    expect(idsOf(suite.emu, clemence)).toEqual([]);
  });

  it('bulk: the preview marks the row and apply writes nothing', async () => {
    useGroup(BAD_GROUP);
    const row: SourceRow = {
      line: 2,
      source: 'ligne 2',
      user: clemence,
      userRef: clemence,
      der,
      isRenewal: false,
      error: null,
    };
    const session = {
      graph: suite.graph,
      agent: agentFor(suite.emu),
      journal: suite.desk.store.journal,
      configuredGroupId: BAD_GROUP,
    };
    const [preview] = await previewBulk(session, [row], { identifierAttribute: 'employeeId' });
    expect(preview?.row.status).not.toBe('ok');
    expect(preview?.row.error?.code).toBe('enrollment.invalid-cba-group');
    const results = await suite.desk.service.applyBulk([{ userId: clemence, der }]);
    expect(results.map((r) => [r.status, r.error])).toEqual([['failed', 'enrollment.invalid-cba-group']]);
    expect(patchesTo(suite.emu, clemence)).toBe(0);
    expect(groupRequests()).toBe(0);
    expect(idsOf(suite.emu, clemence)).toEqual([]);
  });

  it('a GUID group id writes the mapping and adds the member', async () => {
    const tenant = suite.emu.graph.tenant('clinique-demo');
    const group = tenant.groups.find((g) => g.displayName === BAD_GROUP);
    expect(typeof group?.id).toBe('string');
    const groupId = String(group?.id);
    useGroup(groupId);
    const plan = await suite.desk.service.plan({ source: cert(der), userId: clemence });
    expect(plan.refusal).toBeNull();
    const outcome = await suite.desk.service.apply({ source: cert(der), userId: clemence });
    expect(outcome.status).toBe('written');
    expect(idsOf(suite.emu, clemence).length).toBeGreaterThan(0);
    expect(tenant.members[groupId]).toContain(clemence);
  });
});
