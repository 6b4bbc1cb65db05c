/**
 * Which account was active, and with which access, kept across restarts next to a persistent token cache. Holds no
 * secret: account keys, display names, the access the user chose and the tenant as typed. The tokens stay in the
 * protected MSAL cache; without that cache there is nothing to restore and no session file is written.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { accessModeSchema } from '../../../shared/contract/account';
import type { Logger } from '../../../shared/logging';

/** Most accounts a session file keeps (a consultant's tenants); older entries are dropped first. */
export const maxSavedAccounts = 50;

const accountKeySchema = z
  .object({ homeAccountId: z.string().min(1).max(300), tenantId: z.string().min(1).max(100) })
  .strict();

/** One account the user signed in with, as remembered across restarts. */
export const savedAccountSchema = accountKeySchema
  .extend({
    username: z.string().max(320),
    name: z.string().max(320),
    access: accessModeSchema,
    tenantLabel: z.string().min(1).max(253).optional(),
  })
  .strict();
export type SavedAccount = z.infer<typeof savedAccountSchema>;

/** The session file: tied to the client ID whose tokens the cache holds. */
export const savedSessionSchema = z
  .object({
    version: z.literal(1),
    clientId: z.string().min(1).max(100),
    active: accountKeySchema.nullable(),
    accounts: z.array(savedAccountSchema).max(maxSavedAccounts),
  })
  .strict();
export type SavedSession = z.infer<typeof savedSessionSchema>;

/** Loads and saves the session file. */
export type SessionStore = {
  /** The saved session, or undefined when there is none or it is unreadable (then set aside, never fatal). */
  load(): Promise<SavedSession | undefined>;
  save(session: SavedSession): Promise<void>;
};

/** A session store on one JSON file, written atomically (temporary file then rename), writes serialized. */
export function createSessionStore(deps: { filePath: string; logger: Logger }): SessionStore {
  let writes: Promise<void> = Promise.resolve();
  return {
    async load() {
      let text: string;
      try {
        text = await readFile(deps.filePath, 'utf8');
      } catch {
        return undefined;
      }
      try {
        return savedSessionSchema.parse(JSON.parse(text));
      } catch (error) {
        // A damaged file only costs a new sign-in; keep it aside for diagnosis instead of failing the start.
        const aside = `${deps.filePath}.corrupt-${String(Date.now())}`;
        deps.logger.warn('session file invalid, set aside', { aside, error: String(error) });
        await rename(deps.filePath, aside).catch(() => undefined);
        return undefined;
      }
    },
    async save(session) {
      const checked = savedSessionSchema.parse({
        ...session,
        accounts: session.accounts.slice(-maxSavedAccounts),
      });
      // Serialize so an older snapshot never lands after a newer one.
      writes = writes.then(async () => {
        await mkdir(dirname(deps.filePath), { recursive: true });
        const temporary = `${deps.filePath}.${randomBytes(4).toString('hex')}.tmp`;
        await writeFile(temporary, `${JSON.stringify(checked, null, 2)}\n`, { mode: 0o600 });
        await rename(temporary, deps.filePath);
      });
      const done = writes;
      writes = writes.catch(() => undefined);
      await done;
    },
  };
}
