/**
 * Plan a `certificateUserIds` write (GET → merge → PATCH replaces the whole list) and check it after re-reading.
 *
 * Every refusal is decided here, before a request leaves: too many values, a value too long, a malformed value.
 */
import { CERTIFICATE_USER_IDS_LIMITS } from '../mapping';
import type { Refusal } from './codes';
import { comparisonKey, sameMappingValue, valueProblem } from './values';

/** Limits applied to the planned list (docs vary between 4, 5 and 10 values: data, not code). */
export type MappingLimits = { maxValues: number; maxValueLength: number };

/** Input of `planMappingWrite`. */
export type MappingWriteInput = {
  /** The user's list as just read (GET with `$select=authorizationInfo`). */
  current: readonly string[];
  /** Values of this card to make present. */
  toAdd: readonly string[];
  /** Values of the card being replaced (confirmed renewal): removed unless also in `toAdd`. */
  previousCardValues?: readonly string[];
  limit?: MappingLimits;
};

/** A planned list: `next` is what the PATCH sends. */
export type MappingWritePlan = {
  next: string[];
  added: string[];
  removed: string[];
  unchanged: boolean;
};

/** A plan, or the reason not to send anything. */
export type MappingWriteResult = { ok: true; plan: MappingWritePlan } | { ok: false; refusal: Refusal };

function contains(list: readonly string[], value: string): boolean {
  const key = comparisonKey(value);
  return list.some((v) => comparisonKey(v) === key);
}

/**
 * Merge this card's values into the user's list.
 *
 * Unrelated values keep their place and order; new values go at the end; planning again on `next` yields
 * `unchanged: true` (idempotent).
 */
export function planMappingWrite(input: MappingWriteInput): MappingWriteResult {
  const limit = input.limit ?? CERTIFICATE_USER_IDS_LIMITS;
  for (const [index, value] of input.toAdd.entries()) {
    const problem = valueProblem(value, limit.maxValueLength);
    if (problem !== null) {
      return {
        ok: false,
        refusal: {
          code: problem === 'value-too-long' ? 'mapping.value-too-long' : 'mapping.invalid-value',
          details: { index, length: value.length, maxValueLength: limit.maxValueLength, preview: value.slice(0, 80) },
        },
      };
    }
  }
  const toAdd = dedupe(input.toAdd);
  const previous = input.previousCardValues ?? [];
  const removed = input.current.filter((v) => contains(previous, v) && !contains(toAdd, v));
  const kept = input.current.filter((v) => !removed.includes(v));
  const added = toAdd.filter((v) => !contains(kept, v));
  const next = [...kept, ...added];
  if (next.length > limit.maxValues) {
    return {
      ok: false,
      refusal: {
        code: 'mapping.limit-exceeded',
        details: {
          current: input.current.length,
          adding: added.length,
          removing: removed.length,
          wouldBe: next.length,
          maxValues: limit.maxValues,
        },
      },
    };
  }
  return { ok: true, plan: { next, added, removed, unchanged: added.length === 0 && removed.length === 0 } };
}

function dedupe(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const value of values) {
    if (!out.some((v) => sameMappingValue(v, value))) {
      out.push(value);
    }
  }
  return out;
}

/** What re-reading the user after the PATCH showed. */
export type VerifyResult =
  | { status: 'ok'; foreign: string[] }
  | {
      status: 'concurrent-change';
      /** Values we added that are not there. */
      missingAdded: string[];
      /** Values we removed that are back. */
      reappeared: string[];
      /** Values the pre-PATCH read showed, not ours to remove, that are gone (a stale list of another writer). */
      missingKept: string[];
      /** Values present that our plan did not contain (another agent's). */
      foreign: string[];
    };

/**
 * Compare the re-read list (GET /users/{id}, never an advanced query: those are eventually consistent) with what
 * the write meant to achieve: our values present, the values we removed absent, and, when `basis` (the list the
 * write was merged on) is given, every value of it we did not remove still there.
 */
export function verifyAfterWrite(
  expected: {
    next: readonly string[];
    added: readonly string[];
    removed: readonly string[];
    basis?: readonly string[] | undefined;
  },
  reread: readonly string[],
): VerifyResult {
  const missingAdded = expected.added.filter((v) => !contains(reread, v));
  const reappeared = expected.removed.filter((v) => contains(reread, v));
  const missingKept = (expected.basis ?? []).filter(
    (v) => !contains(expected.removed, v) && !contains(expected.added, v) && !contains(reread, v),
  );
  const foreign = reread.filter((v) => !contains(expected.next, v));
  if (missingAdded.length === 0 && reappeared.length === 0 && missingKept.length === 0) {
    return { status: 'ok', foreign };
  }
  return { status: 'concurrent-change', missingAdded, reappeared, missingKept, foreign };
}

/** Attempts allowed before giving up on a list another agent keeps changing. */
export const MAX_REMERGE_ATTEMPTS = 3;

/**
 * Re-plan on the freshly read list after a concurrent change: the other agent's additions are kept because the
 * merge starts from `fresh`, never from our stale `next`.
 */
export function remergeAfterConcurrentChange(
  input: MappingWriteInput & { fresh: readonly string[]; attempt: number },
): MappingWriteResult {
  if (input.attempt >= MAX_REMERGE_ATTEMPTS) {
    return {
      ok: false,
      refusal: { code: 'mapping.concurrent-change-unresolved', details: { attempts: input.attempt } },
    };
  }
  return planMappingWrite({ ...input, current: input.fresh });
}
