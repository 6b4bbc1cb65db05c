import { describe, expect, it } from 'vitest';
import { journalKindSchema } from '../../../electron/services/store/journal-entry';
import type { JournalEntry } from '../../../electron/services/store';
import { journalFacts } from '../../../electron/services/enrollment/journal';
import { fr } from '../../../shared/i18n/fr';
import { en } from '../../../shared/i18n/en';

const catalogs = { fr, en };

/** A journal entry with the given kind and details (the rest does not matter to the view). */
function journalEntry(kind: JournalEntry['kind'], details: JournalEntry['details']): JournalEntry {
  return {
    seq: 1,
    at: '2026-11-25T10:00:00.000Z',
    kind,
    agent: { upn: 'agent@clinique-demo.fr', oid: 'oid', tenantId: 'tenant' },
    details,
  };
}

describe('journal labels', () => {
  it.each(Object.entries(catalogs))('%s labels every journal kind', (_, catalog) => {
    const labels: Record<string, string> = catalog.enrollment.journalKind;
    for (const kind of journalKindSchema.options) {
      expect(labels[kind], kind).toMatch(/\S/);
    }
    expect(Object.keys(labels).sort()).toEqual([...journalKindSchema.options].sort());
  });

  it.each(Object.entries(catalogs))('%s labels every status a journal entry records', (_, catalog) => {
    const labels: Record<string, string> = catalog.enrollment.journalStatus;
    // Step results (execute.ts) and bulk rows (bulk-chunk.ts) write these statuses.
    for (const status of ['written', 'unchanged', 'synced-user', 'removed', 'failed']) {
      expect(labels[status], status).toMatch(/\S/);
    }
  });
});

type Row = {
  name: string;
  kind: JournalEntry['kind'];
  details: JournalEntry['details'];
  facts: ReturnType<typeof journalFacts>;
};

describe('journalFacts', () => {
  it.each<Row>([
    {
      name: 'a write with its status and counts',
      kind: 'mapping-written',
      details: { status: 'written', added: ['a', 'b'], removed: ['c'] },
      facts: { status: 'written', added: 2, removed: 1, error: null },
    },
    {
      name: 'an offline queueing with its error code and short details',
      kind: 'queued',
      details: { op: 'write', error: 'graph.offline', attempts: 1, idempotencyKey: 'k' },
      facts: {
        status: null,
        added: 0,
        removed: 0,
        error: {
          code: 'graph.offline',
          details: { op: 'write', error: 'graph.offline', attempts: 1, idempotencyKey: 'k' },
        },
      },
    },
    {
      name: 'a refused preview as an error',
      kind: 'preview-read',
      details: { step: 'plan', added: ['x'], removed: [], refusal: 'enrollment.value-limit', current: ['y'] },
      facts: {
        status: null,
        added: 1,
        removed: 0,
        error: { code: 'enrollment.value-limit', details: { step: 'plan', refusal: 'enrollment.value-limit' } },
      },
    },
    {
      name: 'an attempt (no status, no error, value lists not counted as added)',
      kind: 'attempt',
      details: { op: 'write', values: ['v'], attempt: 2, refusal: null },
      facts: { status: null, added: 0, removed: 0, error: null },
    },
  ])('$name', ({ kind, details, facts }) => {
    expect(journalFacts(journalEntry(kind, details))).toEqual(facts);
  });
});
