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

const countOf = (value: unknown): number => (Array.isArray(value) ? value.length : 0);
const textOf = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);

/** Journal details a message may interpolate: short strings and numbers only (never value lists). */
function errorDetails(d: JournalDetails): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(d)) {
    if (typeof value === 'number' || (typeof value === 'string' && value.length <= 200)) {
      out[key] = value;
    }
  }
  return out;
}

/** Structured fields of an entry: outcome status, counts, and the error code of a failure or refused preview. */
export function journalFacts(e: JournalEntry): {
  status: string | null;
  added: number;
  removed: number;
  error: { code: string; details: Record<string, string | number> } | null;
} {
  const d = e.details;
  const code = textOf(d.error) ?? textOf(d.refusal);
  return {
    status: textOf(d.status),
    added: countOf(d.added),
    removed: countOf(d.removed),
    error: code === null ? null : { code, details: errorDetails(d) },
  };
}

/** Codes and counts on one line (`mapping-written written +1`), for tools and logs; the UI translates the facts. */
function summaryOf(e: JournalEntry): string {
  const f = journalFacts(e);
  return [
    e.kind,
    f.status,
    f.added > 0 ? `+${String(f.added)}` : null,
    f.removed > 0 ? `-${String(f.removed)}` : null,
    f.error?.code ?? null,
  ]
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
      ...journalFacts(e),
      summary: summaryOf(e),
    })),
    verification: {
      isIntact: report.ok,
      entries: report.entries,
      problems: report.problems.map((p) => ({ seq: p.seq, kind: p.kind })),
    },
  };
}
