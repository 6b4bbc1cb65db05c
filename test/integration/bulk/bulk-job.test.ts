/**
 * Bulk jobs through the real wiring, enrollment service, store and Graph service against the Graph emulator: the
 * preview's statuses, an outage in the middle of a job (pause, every processed row kept, resume), and a restart
 * with a chunk interrupted mid-write — the emulator's final state is exact and no value is written twice.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { wireBulk } from '../../../electron/app/bulk-wiring';
import { createEventBus } from '../../../electron/app/event-bus';
import type { BatchItem, GraphService } from '../../../electron/services/graph/index';
import type { BulkFinished } from '../../../shared/contract/bulk';
import { parseCsv } from '../../../shared/enrollment/csv';
import { CERTIFICATE_USER_IDS_LIMITS } from '../../../shared/mapping';
import type { Emulators } from '../../helpers/emulators/index';
import { startEmulators } from '../../helpers/emulators/index';
import { createCardFactory } from '../../chaos/cards';
import type { CardFactory } from '../../chaos/cards';
import type { Desk } from '../enrollment/harness';
import { agentFor, createDesk, graphFor, idsOf, setIds } from '../enrollment/harness';

const pem = (der: Uint8Array) =>
  `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64')}\n-----END CERTIFICATE-----`;

/** Graph writes that succeeded, per user object id (counts PATCH items inside `$batch` and single PATCHes). */
function countingGraph(
  graph: GraphService,
  patches: Map<string, number>,
  crash: { afterPatch: boolean; beforePatch?: (() => void) | undefined },
): GraphService {
  const count = (url: string) => {
    const id = decodeURIComponent(url.split('?')[0]?.split('/')[2] ?? '');
    patches.set(id, (patches.get(id) ?? 0) + 1);
  };
  return {
    ...graph,
    batch: async (items: readonly BatchItem[], options) => {
      if (crash.beforePatch !== undefined && items.some((item) => item.method === 'PATCH')) {
        // Another agent acts between this job's read and its write.
        crash.beforePatch();
        crash.beforePatch = undefined;
      }
      const results = await graph.batch(items, options);
      if (crash.afterPatch && items.some((item) => item.method === 'PATCH')) {
        crash.afterPatch = false;
        results.forEach((r, i) => {
          const item = items[i];
          if (item?.method === 'PATCH' && r.status < 300) {
            count(item.url);
          }
        });
        // The writes reached Graph; the process dies before it learns so.
        throw new Error('simulated crash after the writes left');
      }
      results.forEach((r, i) => {
        const item = items[i];
        if (item?.method === 'PATCH' && r.status < 300) {
          count(item.url);
        }
      });
      return results;
    },
    patch: async <T>(path: string, body: unknown, options?: Parameters<GraphService['patch']>[2]) => {
      const out = await graph.patch<T>(path, body, options);
      count(path);
      return out;
    },
  };
}

describe('bulk jobs (wiring + enrollment service + store + Graph emulator)', () => {
  let emu: Emulators;
  let graph: GraphService;
  let factory: CardFactory;
  const patches = new Map<string, number>();
  const crash: { afterPatch: boolean; beforePatch?: (() => void) | undefined } = { afterPatch: false };
  let dir: string;
  let desks: Desk[] = [];

  const userIdOf = (i: number) => `00000002-0009-4000-8000-${String(i + 1).padStart(12, '0')}`;
  const upnOf = (i: number) => `bulk.${String(i)}@clinique-demo.fr`;
  const card = (i: number) =>
    factory.issue({
      index: 500 + i,
      givenName: 'Bulk',
      surname: `B${String(i)}`,
      nationalId: String(10_600_000_000 + i),
      cardNumber: String(2_960_000_000 + i),
    });

  const open = () => {
    const counted = countingGraph(graph, patches, crash);
    const agent = agentFor(emu);
    const desk = createDesk(counted, agent, {}, dir);
    desks.push(desk);
    const bus = createEventBus((event, error) => {
      throw new Error(`${event} off contract: ${String(error)}`);
    });
    const finished: BulkFinished[] = [];
    bus.subscribe((event, payload) => {
      if (event === 'bulk:finished') {
        finished.push(payload as BulkFinished);
      }
    });
    // The same session the desk's service uses: its Graph, agent, journal, and the x509 method's group.
    const wiring = wireBulk({
      bus,
      session: () =>
        Promise.resolve({
          graph: counted,
          agent,
          journal: desk.store.journal,
          configuredGroupId: null,
        }),
      jobs: () => desk.store.bulkJobs,
    });
    const next = async () => {
      const seen = finished.length;
      for (let i = 0; i < 2000 && finished.length === seen; i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      const last = finished.at(-1);
      if (last === undefined || finished.length === seen) {
        throw new Error('job did not stop');
      }
      return last;
    };
    return { handlers: wiring.handlers, bus, next, desk };
  };

  beforeAll(async () => {
    emu = await startEmulators();
    graph = graphFor(emu);
    factory = await createCardFactory();
    const tenant = emu.graph.tenant('clinique-demo');
    for (let i = 0; i < 50; i++) {
      tenant.users.push({
        id: userIdOf(i),
        displayName: `Bulk ${String(i)}`,
        userPrincipalName: upnOf(i),
        onPremisesSyncEnabled: i === 3 ? true : null,
        authorizationInfo: { certificateUserIds: [] },
      });
    }
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'psc-bulk-'));
    desks = [];
    patches.clear();
    emu.graph.setFaults([]);
  });
  afterAll(async () => {
    graph.close();
    await emu.close();
  });
  const closeAll = () => {
    for (const d of desks) {
      d.service.close();
      d.store.close();
    }
    rmSync(dir, { recursive: true, force: true });
  };

  it('previews each row with the value the tenant will match and a status, without writing', async () => {
    const { handlers } = open();
    try {
      const certs = await Promise.all([0, 1, 2, 3, 4, 5].map(card));
      // Row 1 already holds its value; row 2's value is held by someone else; row 4 is full (the tenant's value limit).
      const preview0 = await handlers['bulk:preview']({
        source: {
          kind: 'csv-text',
          csvText: `user;certificate\r\n${upnOf(1)};"${pem(certs[1] ?? new Uint8Array())}"`,
          fileName: 'a.csv',
          baseDir: null,
        },
      });
      const value1 = preview0.rows[0]?.values[0] ?? '';
      const preview2 = await handlers['bulk:preview']({
        source: {
          kind: 'csv-text',
          csvText: `user;certificate\r\n${upnOf(2)};"${pem(certs[2] ?? new Uint8Array())}"`,
          fileName: 'a.csv',
          baseDir: null,
        },
      });
      const value2 = preview2.rows[0]?.values[0] ?? '';
      setIds(emu, userIdOf(1), [value1]);
      setIds(emu, userIdOf(40), [value2]);
      setIds(
        emu,
        userIdOf(4),
        Array.from(
          { length: CERTIFICATE_USER_IDS_LIMITS.maxValues },
          (_v, i) => `X509:<SKI>${String(i).padStart(2, '0')}`,
        ),
      );
      const lines = [
        'utilisateur;certificat',
        ...[0, 1, 2, 3, 4].map((i) => `${upnOf(i)};"${pem(certs[i] ?? new Uint8Array())}"`),
        `absent@clinique-demo.fr;"${pem(certs[5] ?? new Uint8Array())}"`,
        `${upnOf(6)};MII${'A'.repeat(300)}`,
        `${upnOf(7)};"${pem(certs[0] ?? new Uint8Array())}"`,
        'pas-un-compte;x.cer',
      ];
      const before = emu.graph.requests.length;
      const preview = await handlers['bulk:preview']({
        source: { kind: 'csv-text', csvText: lines.join('\r\n'), fileName: 'lot.csv', baseDir: null },
      });
      const requests = emu.graph.requests.slice(before);

      expect(preview.rows.map((r) => r.status)).toEqual([
        'ok',
        'already-enrolled',
        'conflict',
        'synced-user',
        'limit-exceeded',
        'user-not-found',
        'bad-certificate',
        'conflict',
        'invalid-row',
      ]);
      const [ok, , conflict, synced] = preview.rows;
      // Default bindings of clinique-demo map only SKI to certificateUserIds: no PrincipalName value.
      expect(ok?.values).toHaveLength(1);
      expect(ok?.values[0]).toMatch(/^X509:<SKI>/);
      expect(conflict?.conflicts).toEqual([{ value: value2, userPrincipalName: upnOf(40), line: null }]);
      expect(synced?.altSecurityIdentities).toEqual(synced?.values);
      expect(preview.rows[7]?.conflicts[0]?.line).toBe(ok?.line);
      expect(preview.rows[7]?.error?.code).toBe('bulk.duplicate-value-in-file');
      expect(requests.every((r) => r.method === 'GET' || r.path.startsWith('/$batch'))).toBe(true);
      // x509 config + one $batch of user reads + one $batch of reverse lookups.
      expect(requests).toHaveLength(3);
      expect(patches.size).toBe(0);
    } finally {
      closeAll();
    }
  });

  it('imports a folder: each certificate finds its account from the national identifier of its SAN UPN', async () => {
    const { handlers } = open();
    const folder = mkdtempSync(join(tmpdir(), 'psc-bulk-folder-'));
    try {
      const tenant = emu.graph.tenant('clinique-demo');
      const target = tenant.users.find((u) => u.id === userIdOf(30));
      if (target !== undefined) {
        target.employeeId = String(10_600_000_000 + 330);
      }
      writeFileSync(join(folder, 'a-connu.der'), await card(330));
      writeFileSync(join(folder, 'b-inconnu.pem'), pem(await card(331)));
      writeFileSync(join(folder, 'notes.txt'), 'not a certificate');

      const preview = await handlers['bulk:preview']({ source: { kind: 'folder', path: folder } });

      expect(preview.fileError).toBeNull();
      expect(preview.rows.map((r) => [r.source, r.status, r.userPrincipalName])).toEqual([
        ['a-connu.der', 'ok', upnOf(30)],
        ['b-inconnu.pem', 'user-not-found', null],
      ]);
      expect(preview.rows[1]?.error?.code).toBe('bulk.no-user-for-certificate');
    } finally {
      rmSync(folder, { recursive: true, force: true });
      closeAll();
    }
  });

  it('applies a Windows-1252 CSV from French Excel and saves a French results file next to it, conflicts named', async () => {
    const { handlers, next } = open();
    const folder = mkdtempSync(join(tmpdir(), 'psc-bulk-excel-'));
    try {
      mkdirSync(join(folder, 'Médecins'));
      const [good, taken] = await Promise.all([card(610), card(611)]);
      writeFileSync(join(folder, 'Médecins', 'dupré.cer'), good);
      writeFileSync(join(folder, 'Médecins', 'hélène.cer'), taken);
      setIds(emu, userIdOf(10), []);
      setIds(emu, userIdOf(11), []);
      // « CSV (séparateur : point-virgule) » on a French Windows: a sep= line, cp1252 bytes, an empty row at the end.
      const text = [
        'sep=;',
        'Adresse mail;Fichier certificat;Commentaire',
        `${upnOf(10)};Médecins\\dupré.cer;nouvelle carte`,
        `${upnOf(11)};Médecins\\hélène.cer;`,
        ';;',
      ].join('\r\n');
      const csvPath = join(folder, 'lot médecins.csv');
      writeFileSync(csvPath, Buffer.from(text, 'latin1'));
      const source = { kind: 'csv-file' as const, path: csvPath };
      const preview = await handlers['bulk:preview']({ source });
      expect(preview.rows.map((r) => [r.line, r.status])).toEqual([
        [3, 'ok'],
        [4, 'ok'],
      ]);
      // Another account already holds the second card's value.
      setIds(emu, userIdOf(12), [preview.rows[1]?.values[0] ?? '']);

      const { jobId } = await handlers['bulk:apply']({ source });
      const done = await next();
      expect(done.job.counts).toMatchObject({ written: 1, skipped: 1, pending: 0 });

      const saved = await handlers['bulk:save-results']({ jobId, sourcePath: csvPath, language: 'fr' });
      expect(dirname(saved.path)).toBe(folder);
      expect(basename(saved.path)).toMatch(/^lot_médecins-resultats-\d{8}-\d{6}\.csv$/);
      const parsed = parseCsv(readFileSync(saved.path, 'utf8'));
      if (!parsed.ok) {
        throw new Error(parsed.refusal.code);
      }
      const [header, written, conflict] = parsed.table.rows.map((r) => r.cells);
      expect(parsed.table.separator).toBe(';');
      expect(header?.slice(0, 7)).toEqual([
        'Ligne',
        'Origine',
        'Utilisateur',
        'Compte Entra (UPN)',
        'État',
        'Message',
        'Conflit avec',
      ]);
      expect([written?.[0], written?.[4], written?.[7]]).toEqual(['3', 'Écrite', idsOf(emu, userIdOf(10))[0]]);
      expect([conflict?.[0], conflict?.[4], conflict?.[6], conflict?.[9]]).toEqual([
        '4',
        'Ignorée',
        upnOf(12),
        'enrollment.uniqueness-conflict',
      ]);
      expect(conflict?.[5]).toMatch(/^Entra refuse la valeur/);
      expect(readFileSync(saved.path, 'utf8').startsWith('\uFEFF')).toBe(true);

      // A second save never overwrites the first; a path that is not the job's source is refused.
      const again = await handlers['bulk:save-results']({ jobId, sourcePath: csvPath, language: 'en' });
      expect(again.path).not.toBe(saved.path);
      expect(readFileSync(again.path, 'utf8')).toContain('Conflicts with');
      await expect(
        handlers['bulk:save-results']({ jobId, sourcePath: join(folder, 'autre.csv'), language: 'fr' }),
      ).rejects.toMatchObject({ code: 'bulk.save-source-mismatch' });
    } finally {
      rmSync(folder, { recursive: true, force: true });
      closeAll();
    }
  });

  it('names the account that took the value between preview and write in the results (Conflit avec)', async () => {
    const { handlers, next } = open();
    try {
      const der = await card(613);
      setIds(emu, userIdOf(13), []);
      setIds(emu, userIdOf(14), []);
      const source = {
        kind: 'csv-text' as const,
        csvText: `user;certificate\r\n${upnOf(13)};"${pem(der)}"\r\n`,
        fileName: 'course.csv',
        baseDir: null,
      };
      const value = (await handlers['bulk:preview']({ source })).rows[0]?.values[0] ?? '';
      expect(value).toMatch(/^X509:<SKI>/);
      crash.beforePatch = () => {
        setIds(emu, userIdOf(14), [value]);
      };
      await handlers['bulk:apply']({ source });
      const done = await next();

      expect(done.results[0]?.status).toBe('failed');
      expect(done.results[0]?.error?.code).toBe('enrollment.uniqueness-conflict');
      expect(done.results[0]?.error?.details?.conflicts).toEqual([
        { userId: userIdOf(14), userPrincipalName: upnOf(14) },
      ]);
      expect(idsOf(emu, userIdOf(13))).toEqual([]);
      const parsed = parseCsv(done.resultsCsv);
      const [header, row] = parsed.ok ? parsed.table.rows.map((r) => r.cells) : [];
      expect(row?.[header?.indexOf('Conflit avec') ?? -1]).toBe(upnOf(14));
    } finally {
      crash.beforePatch = undefined;
      closeAll();
    }
  });

  it('pauses when Graph goes offline mid-job, keeps processed rows, resumes without writing twice', async () => {
    const { handlers, bus, next } = open();
    try {
      const rows = 45;
      const certs = await Promise.all(Array.from({ length: rows }, (_, i) => card(100 + i)));
      const csv = ['user;certificate', ...certs.map((c, i) => `${upnOf(i + 5)};"${pem(c)}"`)].join('\r\n');
      for (let i = 0; i < rows; i++) {
        setIds(emu, userIdOf(i + 5), []);
      }
      let chunks = 0;
      const off = bus.subscribe((event) => {
        if (event === 'bulk:progress' && ++chunks === 2) {
          // After the first chunk: every connection to Graph is reset (reads retried, then given up).
          emu.graph.setFaults([{ kind: 'reset', route: /\$batch|\/users|\/policies/ }]);
        }
      });
      const { jobId } = await handlers['bulk:apply']({
        source: { kind: 'csv-text', csvText: csv, fileName: 'lot.csv', baseDir: null },
      });
      const paused = await next();
      off();

      expect(paused.isPaused).toBe(true);
      expect(paused.job.pause?.reason).toBe('offline');
      expect(paused.job.counts.written).toBe(20);
      expect(paused.job.counts.pending).toBe(25);
      expect(paused.results).toHaveLength(rows);
      expect(paused.resultsCsv.trim().split('\r\n')).toHaveLength(rows + 1);
      await expect(handlers['bulk:get-job'](undefined)).resolves.toMatchObject({ jobId, state: 'paused' });

      emu.graph.setFaults([]);
      await handlers['bulk:resume']({ jobId });
      const done = await next();

      expect(done.isPaused).toBe(false);
      expect(done.job.counts).toMatchObject({ written: rows, pending: 0, failed: 0 });
      for (let i = 0; i < rows; i++) {
        expect(idsOf(emu, userIdOf(i + 5))).toEqual([done.results[i]?.values[0]]);
        expect(patches.get(userIdOf(i + 5))).toBe(1);
      }
      await expect(handlers['bulk:get-job'](undefined)).resolves.toBeNull();
    } finally {
      closeAll();
    }
  });

  it('after a crash mid-write, resumes the interrupted job in a new process and writes nothing twice', async () => {
    const first = open();
    const users = [20, 21, 22];
    try {
      const certs = await Promise.all(users.map((u) => card(200 + u)));
      for (const u of users) {
        setIds(emu, userIdOf(u), []);
      }
      const csv = ['user;certificate', ...certs.map((c, i) => `${upnOf(users[i] ?? 0)};"${pem(c)}"`)].join('\r\n');
      crash.afterPatch = true;
      const { jobId } = await first.handlers['bulk:apply']({
        source: { kind: 'csv-text', csvText: csv, fileName: 'lot.csv', baseDir: null },
      });
      await first.next();
      // What a killed process leaves: the job still "running", its rows "writing", the PATCHes applied by Graph.
      await first.desk.store.bulkJobs.setState(jobId, 'running', null);
      expect((await first.desk.store.bulkJobs.counts(jobId)).writing).toBe(3);
      first.desk.service.close();
      first.desk.store.close();
      desks = [];

      const second = open();
      const offered = await second.handlers['bulk:get-job'](undefined);
      expect(offered).toMatchObject({ jobId, state: 'paused', pause: { reason: 'interrupted' }, done: 0, total: 3 });
      await second.handlers['bulk:resume']({ jobId });
      const done = await second.next();

      expect(done.job.counts).toMatchObject({ written: 3, unchanged: 0, pending: 0 });
      for (const [i, u] of users.entries()) {
        expect(idsOf(emu, userIdOf(u))).toEqual(done.results[i]?.values);
        expect(idsOf(emu, userIdOf(u))).toHaveLength(1);
        expect(patches.get(userIdOf(u))).toBe(1);
      }
      const journal = await second.desk.service.journal(50);
      expect(journal.verification.isIntact).toBe(true);
      expect(journal.entries.filter((e) => e.kind === 'mapping-written')).toHaveLength(3);
    } finally {
      closeAll();
    }
  });
});
