import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphService } from '../../../electron/services/graph/index';
import type { Emulators } from '../../helpers/emulators/index';
import { startEmulators } from '../../helpers/emulators/index';
import { createCardFactory } from '../../chaos/cards';
import type { Desk } from './harness';
import { agentFor, createDesk, graphFor, idsOf, setIds } from './harness';

const CBA_GROUP = '00000002-0002-4000-8000-000000000001';
const ROWS = 25;

describe('enrollment bulk through $batch', () => {
  let emu: Emulators;
  let graph: GraphService;
  let desk: Desk;

  beforeAll(async () => {
    emu = await startEmulators();
    graph = graphFor(emu);
    desk = createDesk(graph, agentFor(emu));
  });
  afterAll(async () => {
    desk.close();
    graph.close();
    await emu.close();
  });

  it('writes every row, reports a uniqueness conflict per row, and uses a few batched requests', async () => {
    const tenant = emu.graph.tenant('clinique-demo');
    const factory = await createCardFactory();
    const rows = [];
    for (let i = 0; i < ROWS; i++) {
      const id = `00000002-0008-4000-8000-${String(i + 1).padStart(12, '0')}`;
      tenant.users.push({
        id,
        displayName: `Row ${String(i)}`,
        userPrincipalName: `row.${String(i)}@clinique-demo.fr`,
        onPremisesSyncEnabled: null,
        authorizationInfo: { certificateUserIds: [] },
      });
      const der = await factory.issue({
        index: i,
        givenName: 'Row',
        surname: `R${String(i)}`,
        nationalId: String(10_500_000_000 + i),
        cardNumber: String(2_970_000_000 + i),
      });
      rows.push({ userId: id, der });
    }
    // Row 0's card value is already held by another account: Graph refuses that PATCH, the others go through.
    const first = (
      await desk.service.plan({
        source: { kind: 'certificate', derBase64: Buffer.from(rows[0]?.der ?? []).toString('base64') },
        userId: rows[0]?.userId ?? '',
      })
    ).values[0]?.value;
    setIds(emu, '00000002-0001-4000-8000-000000000002', [first ?? '']);
    const before = emu.graph.requests.length;
    const progress: number[] = [];
    const results = await desk.service.applyBulk(rows, { onProgress: (done) => progress.push(done) });
    const requests = emu.graph.requests.length - before;

    expect(results[0]?.status).toBe('failed');
    expect(results[0]?.error).toBe('enrollment.uniqueness-conflict');
    expect(results.slice(1).every((r) => r.status === 'written')).toBe(true);
    for (const row of rows.slice(1)) {
      expect(idsOf(emu, row.userId)).toHaveLength(1);
      expect(tenant.members[CBA_GROUP]).toContain(row.userId);
    }
    expect(progress).toEqual([20, 25]);
    // Config + per chunk of 20: GET, PATCH, group adds, re-read.
    expect(requests).toBeLessThanOrEqual(1 + 4 * Math.ceil(ROWS / 20));
    expect((await desk.service.journal(100)).verification.isIntact).toBe(true);
  });
});
