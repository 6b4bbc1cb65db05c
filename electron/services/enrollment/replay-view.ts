/**
 * What the queue panel shows of a queue item: its operation, the user as the agent named them, its state and last
 * error, and why it is held when it waits for the agent's confirmation.
 */
import { z } from 'zod';
import type { QueueItemView } from '../../../shared/contract/enrollment';
import type { QueueItem } from '../store';
import { stepPayloadSchema } from './runner';

const holdSchema = z.object({
  userId: z.string(),
  userPrincipalName: z.string(),
  displayName: z.string().nullable(),
  confidence: z.enum(['high', 'medium', 'low', 'none']),
  reasons: z.array(z.string()),
  cardHolder: z.string().nullable(),
});

/** The hold stored with an item, or undefined (none, or unreadable). */
export function holdOf(item: QueueItem): QueueItemView['hold'] {
  const parsed = holdSchema.safeParse(item.hold);
  return parsed.success ? parsed.data : undefined;
}

/** The panel's view of one item. */
export function toItemView(item: QueueItem): QueueItemView {
  const parsed = stepPayloadSchema.safeParse(item.payload);
  const hold = item.state === 'needs-confirmation' ? holdOf(item) : undefined;
  return {
    id: item.id,
    kind: item.kind,
    userPrincipalName: parsed.success ? (parsed.data.userPrincipalName ?? parsed.data.userId) : '',
    createdAt: item.createdAt,
    attempts: item.attempts,
    state: item.state,
    lastError: item.lastError,
    ...(hold === undefined ? {} : { hold }),
  };
}
