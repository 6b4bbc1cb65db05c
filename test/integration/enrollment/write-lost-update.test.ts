import { describe, expect, it } from 'vitest';
import { certificateUserIdsFromDer } from '../../../shared/mapping';
import { agentFor, createDesk, idsOf, issueCard, practitioner, setIds, staffId, useDeskSuite } from './harness';

const julien = staffId(13); // Clémence Michel: cloud-only, no mapping yet
const legacy = 'X509:<PN>legacy@example.org';
const cert = (derBase64: string) => ({ kind: 'certificate' as const, derBase64 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const skiOf = async (derBase64: string) =>
  (await certificateUserIdsFromDer(new Uint8Array(Buffer.from(derBase64, 'base64')))).values.SKI ?? '';

describe('write: a throttled certificateUserIds PATCH never resends a stale list', () => {
  const suite = useDeskSuite();

  it('keeps the value another agent wrote while our PATCH waited out a 429 Retry-After, and both agents are right', async () => {
    const [cardA, cardB] = await Promise.all([
      issueCard(practitioner('Clémence', 'Michel', '10100000001', '2800000001')),
      issueCard(practitioner('Clémence', 'Michel', '10100000001', '2800000002')),
    ]);
    const [skiA, skiB] = await Promise.all([skiOf(cardA), skiOf(cardB)]);
    setIds(suite.emu, julien, [legacy]);
    const deskA = createDesk(suite.graph, agentFor(suite.emu), { settleMs: 300 });
    const deskB = createDesk(suite.graph, agentFor(suite.emu), { settleMs: 300 });
    try {
      // Agent B's first PATCH is throttled for 2 s; agent A enrolls its card on the same account meanwhile.
      suite.emu.graph.setFaults([
        { kind: 'throttle', route: new RegExp(`^PATCH /users/${julien}`), times: 1, retryAfterSeconds: 2 },
      ]);
      const pendingB = deskB.service.apply({ source: cert(cardB), userId: julien });
      await sleep(300);
      const outcomeA = await deskA.service.apply({ source: cert(cardA), userId: julien });
      const outcomeB = await pendingB;

      expect(outcomeA.status).toBe('written');
      expect(outcomeB.status).toBe('written');
      const final = idsOf(suite.emu, julien);
      expect(final).toEqual(expect.arrayContaining([legacy, skiA, skiB]));
      // B's list after the wait is merged on a fresh read: what it reports is what the directory holds.
      expect(outcomeB.certificateUserIds).toEqual(final);
      expect(outcomeB.unexpected?.appeared).toContain(skiA);
      // The throttled body was never resent: B's successful PATCH carried A's value.
      const patches = suite.emu.graph.requests.filter(
        (r) => r.method === 'PATCH' && r.path.startsWith(`/users/${julien}`),
      );
      expect(patches.map((r) => r.status)).toEqual([429, 204, 204]);
    } finally {
      deskA.close();
      deskB.close();
    }
  }, 30_000);
});
