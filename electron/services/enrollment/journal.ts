/**
 * Journal entries of enrollment (who, when, which card, which user, what happened) and the view `journal:get` returns.
 */
import type { JournalView } from '../../../shared/contract/enrollment';
import type { JournalEntry, JournalEntryInput, JournalKind, JournalPort } from '../store';

/** Free details of a journal entry (JSON). */
export type JournalDetails = NonNullable<JournalEntryInput['details']>;
import type { ResolvedCard } from './card';

/** The signed-in agent acting on the tenant. */
export type Agent = { upn: string; oid: string; tenantId: string };

/** Build a journal entry. */
export function entry(input: {
  kind: JournalKind;
  agent: Agent;
  card?: ResolvedCard['journal'] | undefined;
  user?: { id: string; upn: string | null | undefined } | undefined;
  details?: JournalDetails;
}): JournalEntryInput {
  return {
    kind: input.kind,
    agent: { ...input.agent },
    ...(input.card === undefined ? {} : { card: { ...input.card } }),
    ...(input.user === undefined ? {} : { user: { id: input.user.id, upn: input.user.upn ?? input.user.id } }),
    details: input.details ?? {},
  };
}

function summaryOf(e: JournalEntry): string {
  const d = e.details;
  const status = typeof d.status === 'string' ? d.status : null;
  const added = Array.isArray(d.added) ? d.added.length : 0;
  const removed = Array.isArray(d.removed) ? d.removed.length : 0;
  const error = typeof d.error === 'string' ? d.error : null;
  return [e.kind, status, added > 0 ? `+${String(added)}` : null, removed > 0 ? `-${String(removed)}` : null, error]
    .filter((x): x is string => x !== null)
    .join(' ');
}

/** The most recent `limit` entries (newest last) and the chain verification. */
export async function journalView(journal: JournalPort, limit: number): Promise<JournalView> {
  const report = await journal.verify();
  const head = report.head?.seq ?? 0;
  const entries = head === 0 ? [] : await journal.list({ afterSeq: Math.max(0, head - limit), limit });
  return {
    entries: entries.map((e) => ({
      seq: e.seq,
      kind: e.kind,
      at: e.at,
      agent: e.agent.upn,
      userPrincipalName: e.user?.upn ?? null,
      cardNumber: e.card?.cardNumber ?? null,
      summary: summaryOf(e),
    })),
    verification: {
      isIntact: report.ok,
      entries: report.entries,
      problems: report.problems.map((p) => ({ seq: p.seq, kind: p.kind })),
    },
  };
}
