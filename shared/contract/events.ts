import { z } from 'zod';
import { accountStateSchema, deviceCodePromptSchema } from './account';
import { bulkFinishedSchema, bulkProgressSchema } from './bulk';
import { cardReportSchema, cardsStatusSchema, readFailureSchema } from './cards';
import { enrollmentOutcomeSchema, queueItemViewSchema, queueStateSchema } from './enrollment';
import { appModeSchema, settingsSchema } from './schemas';

/** Every main → renderer event: past-tense `domain:what-happened` name and payload schema. */
export const events = {
  'settings:changed': settingsSchema,
  /** Someone launched the app again asking for the other mode (`--live` / `--demo`): offer the switch. */
  'app:mode-requested': z.object({ mode: appModeSchema }),
  'cards:status-changed': cardsStatusSchema,
  'cards:read-started': z.object({ reader: z.string() }),
  'cards:read-succeeded': cardReportSchema,
  'cards:read-failed': readFailureSchema,
  'account:changed': accountStateSchema,
  'account:device-code': deviceCodePromptSchema,
  'enrollment:queue-changed': queueStateSchema,
  'enrollment:completed': enrollmentOutcomeSchema,
  /** A replayed step was refused for good or held for the agent's confirmation: the desk announces it. */
  'enrollment:replay-failed': queueItemViewSchema,
  'bulk:progress': bulkProgressSchema,
  'bulk:finished': bulkFinishedSchema,
} as const satisfies Record<string, z.ZodType>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}
