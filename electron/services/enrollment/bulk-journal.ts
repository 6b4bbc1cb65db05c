/**
 * The journal entry of one bulk row: the same kinds as the desk (`mapping-written`, `enrollment-failed`), marked
 * `bulk`, with the job id when the row belongs to a durable job.
 */
import type { JournalEntryInput } from '../store';
import type { ChunkResult } from './bulk-chunk';
import type { ResolvedCard } from './card';
import { entry } from './journal';
import type { Agent } from './journal';

/** Journal entry of one applied row. */
export function bulkJournalEntry(
  agent: Agent,
  card: ResolvedCard | undefined,
  userId: string,
  result: ChunkResult,
  jobId: string | null = null,
): JournalEntryInput {
  return entry({
    kind: result.status === 'failed' ? 'enrollment-failed' : 'mapping-written',
    agent,
    card: card?.journal,
    user: { id: result.user?.id ?? userId, upn: result.user?.userPrincipalName },
    details: {
      bulk: true,
      ...(jobId === null ? {} : { jobId }),
      status: result.status,
      error: result.error?.code ?? null,
      added: result.added,
      removed: result.removed,
    },
  });
}
