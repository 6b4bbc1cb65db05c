/**
 * The learned path: where the authentication certificate lives on a given card generation.
 *
 * File IDs of CPx certificates are not public, so the first read of a generation discovers them (EF.DIR → ODF →
 * CDF) and later reads go straight to the file. The value is JSON-serialisable so the card service can persist it;
 * it is validated with zod whenever it comes back from a cache.
 */
import { z } from 'zod';
import type { CardGeneration } from './atr';

const hexPath = z.string().regex(/^3F00([0-9A-F]{4}){1,7}$/, 'full path from 3F00, uppercase hex');

/** Schema of a learned path (version 1). */
export const learnedPathSchema = z.object({
  version: z.literal(1),
  certificatePath: hexPath,
  certificateLabel: z.string().max(256).nullable(),
  /** EF.SN.ICC path, or null when the card had none at discovery time (then the fast path skips it). */
  cardNumberPath: hexPath.nullable(),
});

/** Where the authentication certificate was found on a card generation. */
export type LearnedPath = z.infer<typeof learnedPathSchema>;

/** Storage for learned paths, one per card generation. */
export type LearnedPathCache = {
  get(generation: CardGeneration): LearnedPath | undefined;
  set(generation: CardGeneration, path: LearnedPath): void;
};

/** In-memory cache (the card service wraps a persistent one with the same shape). */
export function createMemoryPathCache(): LearnedPathCache {
  const entries = new Map<CardGeneration, LearnedPath>();
  return {
    get: (generation) => entries.get(generation),
    set: (generation, path) => {
      entries.set(generation, learnedPathSchema.parse(path));
    },
  };
}

/** Validate a cached value; anything malformed is treated as "not learned". */
export function parseLearnedPath(value: unknown): LearnedPath | undefined {
  const parsed = learnedPathSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
