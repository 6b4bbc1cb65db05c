import { schemaVersion, setSchemaVersion } from '../db';
import type { WritableDb } from '../db';
import { storeError } from '../errors';
import { migration0001 } from './0001-journal';
import { migration0002 } from './0002-offline-queue';
import { migration0003 } from './0003-queue-holds-and-head';
import type { Migration } from './types';

export type { Migration } from './types';

/** Every migration, in order; the last version is the schema this build writes. */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003];

/** Schema version of this build. */
export const LATEST_VERSION = MIGRATIONS.length;

/**
 * Bring the database to `to` (default: latest), one migration per transaction so a crash leaves a whole version.
 *
 * A file written by a newer build (`user_version` above ours) is refused with `store.too-new` rather than opened and
 * possibly damaged. Returns the versions applied.
 */
export function migrate(db: WritableDb, options: { to?: number } = {}): number[] {
  const target = options.to ?? LATEST_VERSION;
  const current = schemaVersion(db);
  if (current > LATEST_VERSION) {
    throw storeError('store.too-new', { version: current, supported: LATEST_VERSION });
  }
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    if (migration.version <= current || migration.version > target) {
      continue;
    }
    db.transaction(() => {
      migration.up(db);
      setSchemaVersion(db, migration.version);
    }).immediate();
    applied.push(migration.version);
  }
  return applied;
}
