import { describe, expect, it } from 'vitest';
import type { GraphService } from '../../../electron/services/graph/index';
import { flattenServed } from '../../../emulators/graph/index';
import { certificateUserIdsFromDer } from '../../../shared/mapping';
import { createCardFactory } from '../../chaos/cards';
import type { DeskSuite } from './harness';
import { agentFor, createDesk, idsOf, issueCard, practitioner, setIds, staffId, useDeskSuite } from './harness';

const julien = staffId(13); // Clémence Michel: cloud-only, no mapping yet
const colleague = 'X509:<PN>colleague@example.org';
const cert = (derBase64: string) => ({ kind: 'certificate' as const, derBase64 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const valuesOf = async (derBase64: string) =>
  (await certificateUserIdsFromDer(new Uint8Array(Buffer.from(derBase64, 'base64')))).values;

/** PATCHes the emulator answered for a user (alone or as `$batch` items), by status, in order. */
const patchStatuses = (suite: DeskSuite, userId: string): number[] =>
  flattenServed(suite.emu.graph.requests)
    .filter((r) => r.method === 'PATCH' && r.path.startsWith(`/users/${userId}`))
    .map((r) => r.status);

/** Once the emulator has throttled a PATCH of `userId`, another agent writes `ids` on it (bounded wait). */
async function whenThrottled(suite: DeskSuite, userId: string, ids: () => string[]): Promise<boolean> {
  for (let i = 0; i < 500; i++) {
    if (patchStatuses(suite, userId).includes(429)) {
      setIds(suite.emu, userId, ids());
      return true;
    }
    await sleep(5);
  }
  return false;
}

describe('write: throttled certificateUserIds PATCHes are redone from a fresh read', () => {
  const suite = useDeskSuite();

  it('a throttled removal waits, reads again and keeps the value another agent wrote during the wait', async () => {
    const card = await issueCard(practitioner('Clémence', 'Michel', '10100000001', '2800000001'));
    const { SKI: ski } = await valuesOf(card);
    setIds(suite.emu, julien, ['X509:<PN>keep@example.org', ski ?? '']);
    suite.emu.graph.setFaults([
      { kind: 'throttle', route: new RegExp(`^PATCH /users/${julien}`), times: 1, retryAfterSeconds: 1 },
    ]);
    const other = whenThrottled(suite, julien, () => [...idsOf(suite.emu, julien), colleague]);
    const outcome = await suite.desk.service.remove({ source: cert(card), userId: julien, reason: 'lost' });

    expect(await other).toBe(true);
    expect(outcome.status).toBe('removed');
    expect(idsOf(suite.emu, julien)).toEqual(['X509:<PN>keep@example.org', colleague]);
    expect(outcome.certificateUserIds).toEqual(idsOf(suite.emu, julien));
    expect(outcome.unexpected?.appeared).toEqual([colleague]);
    expect(patchStatuses(suite, julien)).toEqual([429, 204]);
  }, 20_000);

  it('a removal undone by another agent’s renewal reports the list as re-read, not the one read before the PATCH', async () => {
    const [lost, renewed] = await Promise.all([
      issueCard(practitioner('Clémence', 'Michel', '10100000001', '2800000001')),
      issueCard(practitioner('Clémence', 'Michel', '10100000001', '2800000002')),
    ]);
    const [old, next] = await Promise.all([valuesOf(lost), valuesOf(renewed)]);
    const pn = old.PrincipalName ?? '';
    setIds(suite.emu, julien, [pn, old.SKI ?? '']);
    let landed = false;
    const racing: GraphService = {
      ...suite.graph,
      patch: async (path, body, options) => {
        await suite.graph.patch(path, body, options);
        if (!landed) {
          landed = true;
          // Another agent's renewal, merged on a list read before our removal, lands right after it.
          setIds(suite.emu, julien, [pn, next.SKI ?? '']);
        }
        return undefined;
      },
    };
    const desk = createDesk(racing, agentFor(suite.emu));
    try {
      const outcome = await desk.service.remove({ source: cert(lost), userId: julien, reason: 'replaced' });
      // The PrincipalName is back and now shared with the enrolled renewal: it stays, nothing more to remove.
      expect(outcome.status).toBe('removed');
      expect(idsOf(suite.emu, julien)).toEqual([pn, next.SKI]);
      expect(outcome.certificateUserIds).toEqual([pn, next.SKI]);
      expect(outcome.unexpected?.appeared).toContain(next.SKI);
    } finally {
      desk.close();
    }
  });

  it('a throttled PATCH item in a bulk chunk redoes the chunk from fresh reads: no stale list, every row written', async () => {
    const tenant = suite.emu.graph.tenant('clinique-demo');
    const factory = await createCardFactory();
    const rows = [];
    for (let i = 0; i < 3; i++) {
      const id = `00000002-0009-4000-8000-${String(i + 1).padStart(12, '0')}`;
      tenant.users.push({
        id,
        displayName: `Throttled ${String(i)}`,
        userPrincipalName: `throttled.${String(i)}@clinique-demo.fr`,
        onPremisesSyncEnabled: null,
        authorizationInfo: { certificateUserIds: [] },
      });
      const der = await factory.issue({
        index: 40 + i,
        givenName: 'Throttled',
        surname: `T${String(i)}`,
        nationalId: String(10_600_000_000 + i),
        cardNumber: String(2_980_000_000 + i),
      });
      rows.push({ userId: id, der });
    }
    const target = rows[1]?.userId ?? '';
    suite.emu.graph.setFaults([
      { kind: 'throttle', route: new RegExp(`^PATCH /users/${target}`), times: 1, retryAfterSeconds: 1 },
    ]);
    const other = whenThrottled(suite, target, () => [...idsOf(suite.emu, target), colleague]);
    const results = await suite.desk.service.applyBulk(rows);

    expect(await other).toBe(true);
    expect(results.map((r) => r.status)).toEqual(['written', 'written', 'written']);
    expect(idsOf(suite.emu, target)).toContain(colleague);
    expect(idsOf(suite.emu, target)).toHaveLength(2);
    expect(patchStatuses(suite, target)).toEqual([429, 204]);
    // Rows whose PATCH landed before the wait are not written again.
    expect(patchStatuses(suite, rows[0]?.userId ?? '')).toEqual([204]);
    expect(patchStatuses(suite, rows[2]?.userId ?? '')).toEqual([204]);
  }, 20_000);
});
