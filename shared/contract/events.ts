import type { z } from 'zod';
import { settingsSchema } from './schemas';

/** Every main → renderer event: past-tense `domain:what-happened` name and payload schema. */
export const events = {
  'settings:changed': settingsSchema,
} as const satisfies Record<string, z.ZodType>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}
