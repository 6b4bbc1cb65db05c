import type { WritableDb } from '../db';

/** One numbered schema step. Released migrations are never edited: add a new one instead. */
export type Migration = {
  readonly version: number;
  readonly name: string;
  readonly up: (db: WritableDb) => void;
};
