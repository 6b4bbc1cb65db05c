/**
 * The Graph calls enrollment makes, each one idempotent: read a user, read the x509 method, run candidate or
 * reverse-lookup queries (batched), replace `certificateUserIds`, add to the CBA group.
 */
import { z } from 'zod';
import type { BatchItem, GraphCallOptions, GraphService } from '../graph';
import { AppError } from '../../../shared/errors';
import {
  directoryUserSchema,
  toRelativeUrl,
  USER_SELECT,
  x509MethodConfigurationSchema,
} from '../../../shared/enrollment';
import type { DirectoryUser, GraphQuery, X509MethodConfiguration } from '../../../shared/enrollment';
import { enrollmentError } from './errors';

/** Scopes of the write calls (asked only when the agent enrolls). */
export const WRITE_SCOPES = ['User.ReadWrite.All', 'GroupMember.ReadWrite.All'] as const;

/**
 * Options of every `certificateUserIds` PATCH: the Graph middleware must not resend it. The body is a whole list
 * computed from a read; resent after a Retry-After wait it would erase what another agent wrote meanwhile. The
 * caller waits instead, reads again and merges again (`createWriteWaits`).
 */
export const MAPPING_WRITE_OPTIONS: GraphCallOptions = {
  scopes: WRITE_SCOPES,
  retryWrites: false,
};

/** How long, and how often, a step waits in place after a throttled or busy PATCH before reading again. */
export type WriteWaitPolicy = {
  /** Waits per step; past them the error is thrown (the queue retries the step later, from a fresh read). */
  maxWaits: number;
  /** A longer Retry-After is not waited out in place (the error goes to the queue). */
  maxWaitMs: number;
  /** First wait when Graph gives no Retry-After (doubled at each wait). */
  fallbackMs: number;
};

/**
 * 3 waits of at most 30 s; 100, 200, 400 ms without Retry-After: short, because the re-read that follows is a GET the
 * Graph service itself retries with its backoff while Graph stays busy.
 */
export const DEFAULT_WRITE_WAIT: WriteWaitPolicy = { maxWaits: 3, maxWaitMs: 30_000, fallbackMs: 100 };

function statusOf(error: AppError): number | null {
  const status = error.details?.status;
  return typeof status === 'number' ? status : null;
}

/**
 * The wait before reading again after a PATCH failed this way, or null when the failure is not one to redo in place:
 * throttled (429) or a server error (5xx; reading again shows whether it was applied). Retry-After is honoured.
 */
export function writeRedoDelayMs(error: unknown, waitsSoFar: number, policy: WriteWaitPolicy): number | null {
  if (!(error instanceof AppError) || (error.code !== 'graph.throttled' && error.code !== 'graph.server-error')) {
    return null;
  }
  if (waitsSoFar >= policy.maxWaits) {
    return null;
  }
  const retryAfter = error.details?.retryAfterSeconds;
  const ms =
    typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter >= 0
      ? retryAfter * 1000
      : policy.fallbackMs * 2 ** waitsSoFar;
  return ms > policy.maxWaitMs ? null : ms;
}

/** True when a failed PATCH may still have been applied (5xx other than 503, or a write whose reply was lost). */
export function mayHaveApplied(error: unknown): boolean {
  if (!(error instanceof AppError)) {
    return false;
  }
  if (error.code === 'graph.server-error') {
    return statusOf(error) !== 503;
  }
  return error.code === 'graph.offline' && error.details?.outcomeUnknown === true;
}

/** The waits of one step's write loop (bounded by the policy; sleep injectable). */
export type WriteWaits = {
  /** Rounds a write loop may run: its re-merges, its waits, and the last one. */
  maxRounds(remerges: number): number;
  /** After a failed PATCH: wait when worth reading again and redoing, else throw `explain()`. */
  afterFailedWrite(error: unknown, explain: () => unknown): Promise<void>;
};

/** Create the waits of one step. */
export function createWriteWaits(deps: {
  sleep?: ((ms: number) => Promise<void>) | undefined;
  writeWait?: Partial<WriteWaitPolicy> | undefined;
}): WriteWaits {
  const policy = { ...DEFAULT_WRITE_WAIT, ...deps.writeWait };
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let waits = 0;
  return {
    maxRounds: (remerges) => remerges + policy.maxWaits + 1,
    async afterFailedWrite(error, explain) {
      const delay = writeRedoDelayMs(error, waits, policy);
      if (delay === null) {
        throw explain();
      }
      waits++;
      if (delay > 0) {
        await sleep(delay);
      }
    },
  };
}

/** Relative URL of the x509 method configuration. */
export const X509_CONFIG_URL =
  '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/x509Certificate';

const x509WithTargetsSchema = x509MethodConfigurationSchema.extend({
  includeTargets: z.array(z.looseObject({ targetType: z.string().nullish(), id: z.string() })).nullish(),
});

/** The x509 configuration plus the group it targets. */
export type X509Config = { config: X509MethodConfiguration; targetGroupId: string | null };

/** URL reading one user with everything enrollment needs (never an advanced query: those lag). */
export function userUrl(userId: string): string {
  return `/users/${encodeURIComponent(userId)}?$select=${USER_SELECT.join(',')}`;
}

/** URL adding a member to a group. */
export function memberRefUrl(groupId: string): string {
  return `/groups/${encodeURIComponent(groupId)}/members/$ref`;
}

/** Body of a member add (`@odata.id` of the directory object). */
export function memberRefBody(userId: string): { '@odata.id': string } {
  return { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${userId}` };
}

/** Body of the `certificateUserIds` PATCH (the whole list: Graph replaces it). */
export function mappingBody(next: readonly string[]): { authorizationInfo: { certificateUserIds: string[] } } {
  return { authorizationInfo: { certificateUserIds: [...next] } };
}

/** Parse a user payload; a malformed one is a typed error, never a crash. */
export function parseUser(body: unknown): DirectoryUser {
  const parsed = directoryUserSchema.safeParse(body);
  if (!parsed.success) {
    throw new AppError('enrollment.invalid-directory-user', { details: { issues: parsed.error.issues.length } });
  }
  return parsed.data;
}

/** Parse the x509 configuration and find the group it targets (`all_users` is not a group to add people to). */
export function parseX509Config(body: unknown): X509Config {
  const parsed = x509WithTargetsSchema.safeParse(body);
  const config = parsed.success ? parsed.data : {};
  const target = parsed.success
    ? (parsed.data.includeTargets ?? []).find((t) => t.targetType !== 'all_users' && t.id !== 'all_users')
    : undefined;
  return { config, targetGroupId: target?.id ?? null };
}

/** `"Member already exists"`: Graph's answer to adding a present member, which counts as success. */
export function isAlreadyMember(error: unknown): boolean {
  if (!(error instanceof AppError)) {
    return false;
  }
  const raw = error.details?.graphMessage;
  const message = typeof raw === 'string' ? raw : '';
  // graph.already-exists since the Graph service tells it apart from the certificateUserIds uniqueness conflict.
  return (
    error.code === 'graph.already-exists' ||
    ((error.code === 'graph.conflict' || error.code === 'graph.bad-request') && /already exist/i.test(message))
  );
}

/** Directory operations bound to one Graph service. */
export type Directory = ReturnType<typeof createDirectory>;

/** Create the directory operations. */
export function createDirectory(graph: GraphService) {
  return {
    /** GET one user; `enrollment.user-not-found` on 404. */
    async getUser(userId: string): Promise<DirectoryUser> {
      try {
        return parseUser(await graph.get<unknown>(userUrl(userId)));
      } catch (error) {
        if (error instanceof AppError && error.code === 'graph.not-found') {
          throw enrollmentError('enrollment.user-not-found', { userId });
        }
        throw error;
      }
    },
    /** GET the x509 method configuration (bindings, affinity rules, targeted group). */
    async getX509Config(): Promise<X509Config> {
      return parseX509Config(await graph.get<unknown>(X509_CONFIG_URL));
    },
    /** Run collection queries in `$batch` (one round trip for up to 20), returning the users of each. */
    async runQueries(queries: readonly GraphQuery[]): Promise<Map<string, DirectoryUser[]>> {
      const items: BatchItem[] = queries.map((q) => ({
        id: q.id,
        method: 'GET',
        url: toRelativeUrl(q),
        headers: { ...q.headers },
      }));
      const results = await graph.batch(items);
      const out = new Map<string, DirectoryUser[]>();
      for (const result of results) {
        if (result.error !== undefined) {
          // A query Graph refuses (e.g. an attribute the tenant does not have) narrows the search, it does not end it.
          if (result.error.code === 'graph.bad-request') {
            out.set(result.id, []);
            continue;
          }
          throw result.error;
        }
        const value = (result.body as { value?: unknown } | undefined)?.value;
        const users = Array.isArray(value) ? value.flatMap((v) => safeUser(v)) : [];
        out.set(result.id, users);
      }
      return out;
    },
    /** PATCH the whole `certificateUserIds` list, once: a throttled or failed PATCH is the caller's to redo. */
    async writeMapping(userId: string, next: readonly string[]): Promise<void> {
      await graph.patch(`/users/${encodeURIComponent(userId)}`, mappingBody(next), MAPPING_WRITE_OPTIONS);
    },
    /** Add to a group; already a member counts as success. Returns true when the call added the member. */
    async addToGroup(groupId: string, userId: string): Promise<boolean> {
      try {
        await graph.post(memberRefUrl(groupId), memberRefBody(userId), { scopes: WRITE_SCOPES });
        return true;
      } catch (error) {
        if (isAlreadyMember(error)) {
          return false;
        }
        if (error instanceof AppError && error.code === 'graph.not-found') {
          throw enrollmentError('enrollment.no-cba-group', { groupId });
        }
        throw error;
      }
    },
  };
}

function safeUser(value: unknown): DirectoryUser[] {
  const parsed = directoryUserSchema.safeParse(value);
  return parsed.success ? [parsed.data] : [];
}
