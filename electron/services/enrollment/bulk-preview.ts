/**
 * Preview a bulk import against the tenant with the desk's own planning: the x509 bindings decide the values to
 * write (`buildWritePlan`), each row's user is read (exists? synced? current values, value limit) and every value is
 * looked up in reverse (held by another account?), all through `$batch` (≤ 20 per round trip). Nothing is written.
 */
import type { BulkPreviewRow } from '../../../shared/contract/bulk';
import type { ContractError } from '../../../shared/contract/envelope';
import { buildCertificateUserIdsLookups, findConflicts } from '../../../shared/enrollment';
import type { DirectoryUser, MappingConflict } from '../../../shared/enrollment';
import { buildFolderUserQueries, resolveFolderUser } from '../../../shared/enrollment/bulk-folder';
import { findInFileDuplicates, statusOfCode, statusOfPlan } from '../../../shared/enrollment/bulk-status';
import { AppError } from '../../../shared/errors';
import { CERTIFICATE_USER_IDS_LIMITS } from '../../../shared/mapping';
import type { BulkSession } from './bulk';
import type { SourceRow } from './bulk-source';
import { resolveDer } from './card';
import { assertCertificateUsable } from './cert-status';
import type { ResolvedCard } from './card';
import { createDirectory, parseUser, userUrl } from './directory';
import type { X509Config } from './directory';
import { explainWriteFailure, isTransient } from './errors';
import { buildWritePlan } from './plan';
import type { WritePlan } from './plan';

/** A previewed row plus what apply needs to write it. */
export type PreviewedRow = { row: BulkPreviewRow; der: Uint8Array | null };

/** Options of a preview. */
export type PreviewOptions = { identifierAttribute: string | null };

type Work = {
  src: SourceRow;
  card: ResolvedCard | null;
  user: DirectoryUser | null;
  plan: WritePlan | null;
  error: AppError | null;
  conflicts: MappingConflict[];
};

/** Contract form of an error (the same envelope the dispatcher builds). */
export function toContractError(error: AppError): ContractError {
  return { code: error.code, messageKey: error.messageKey, details: { ...(error.details ?? {}) } };
}

function holderOf(card: ResolvedCard | null): string | null {
  if (card === null) {
    return null;
  }
  const { holder } = card.info;
  return [holder.givenName, holder.surname].filter(Boolean).join(' ') || holder.commonName;
}

/** Errors of the whole round trip (offline, throttled) end the preview; the agent retries when Graph answers. */
function rethrowTransient(error: unknown): void {
  if (isTransient(error)) {
    throw error;
  }
}

async function resolveFolderUsers(session: BulkSession, work: Work[], options: PreviewOptions): Promise<void> {
  const pending = work.filter((w) => w.src.userRef === null && w.card !== null && w.error === null);
  if (pending.length === 0) {
    return;
  }
  const queries = pending.flatMap((w, i) =>
    w.card === null ? [] : buildFolderUserQueries(`f${String(i)}`, w.card.facts, options.identifierAttribute),
  );
  const found = await createDirectory(session.graph).runQueries(queries);
  for (const [i, w] of pending.entries()) {
    const users = [...(found.get(`f${String(i)}.upn`) ?? []), ...(found.get(`f${String(i)}.id`) ?? [])];
    const resolution = resolveFolderUser(users);
    if (resolution.kind === 'found') {
      w.src = { ...w.src, userRef: resolution.user.id, user: resolution.user.userPrincipalName ?? resolution.user.id };
    } else if (resolution.kind === 'ambiguous') {
      w.error = new AppError('bulk.ambiguous-user', {
        details: { line: w.src.line, candidates: resolution.userPrincipalNames.join(', ') },
      });
    } else {
      w.error = new AppError('bulk.no-user-for-certificate', {
        details: { line: w.src.line, upn: w.card?.facts.upn ?? '' },
      });
    }
  }
}

async function readUsers(session: BulkSession, work: Work[]): Promise<void> {
  const pending = work.filter((w) => w.src.userRef !== null && w.card !== null && w.error === null);
  const results = await session.graph.batch(
    pending.map((w, i) => ({ id: `u${String(i)}`, method: 'GET' as const, url: userUrl(w.src.userRef ?? '') })),
  );
  for (const [i, res] of results.entries()) {
    const w = pending[i];
    if (w === undefined) {
      continue;
    }
    if (res.error !== undefined) {
      rethrowTransient(res.error);
      const explained = explainWriteFailure(res.error, { userId: w.src.userRef ?? '' });
      w.error = explained instanceof AppError ? explained : res.error;
      continue;
    }
    try {
      w.user = parseUser(res.body);
    } catch (error) {
      w.error = error instanceof AppError ? error : new AppError('enrollment.invalid-directory-user');
    }
  }
}

/** Preview the rows (in file order). */
export async function previewBulk(
  session: BulkSession,
  rows: readonly SourceRow[],
  options: PreviewOptions,
): Promise<PreviewedRow[]> {
  const work: Work[] = [];
  for (const src of rows) {
    const w: Work = { src, card: null, user: null, plan: null, error: src.error, conflicts: [] };
    if (src.der !== null && src.error === null) {
      try {
        w.card = await resolveDer(src.der);
        // The row still names its holder; an expired, not-yet-valid or revoked card is never written.
        await assertCertificateUsable(session.certificateStatus, w.card);
      } catch (error) {
        w.error = error instanceof AppError ? error : new AppError('enrollment.invalid-certificate');
      }
    }
    work.push(w);
  }
  const directory = createDirectory(session.graph);
  const live = work.some((w) => w.card !== null && w.error === null);
  const x509: X509Config = live ? await directory.getX509Config() : { config: {}, targetGroupId: null };
  const groupId = session.configuredGroupId ?? x509.targetGroupId;
  await resolveFolderUsers(session, work, options);
  await readUsers(session, work);
  const planFor = (w: Work, conflicts: MappingConflict[]): WritePlan | null =>
    w.card === null || w.user === null
      ? null
      : buildWritePlan({
          card: w.card,
          user: w.user,
          x509,
          conflicts,
          isRenewal: w.src.isRenewal,
          groupId,
          ...(session.limits === undefined ? {} : { limits: session.limits }),
        });
  for (const w of work) {
    w.plan = w.error === null ? planFor(w, []) : null;
  }
  // Reverse lookups of every value the file would write: one query per distinct value, 20 per `$batch`.
  const values = work.flatMap((w) => (w.plan?.view.writePath === 'graph' ? w.plan.chosen : []));
  const holders =
    values.length === 0
      ? []
      : [...(await directory.runQueries(buildCertificateUserIdsLookups(values))).values()].flat();
  for (const w of work) {
    if (w.plan !== null && w.user !== null && w.plan.view.writePath === 'graph') {
      w.conflicts = findConflicts({ values: w.plan.chosen, targetUserId: w.user.id, users: holders });
      if (w.conflicts.length > 0) {
        w.plan = planFor(w, w.conflicts);
      }
    }
  }
  const duplicates = new Map(
    findInFileDuplicates(
      work
        .filter((w) => w.plan !== null && w.error === null)
        .map((w) => ({ line: w.src.line, userId: w.user?.id ?? null, values: w.plan?.chosen ?? [] })),
    ).map((d) => [d.line, d]),
  );
  const maxValues = session.limits?.maxValues ?? CERTIFICATE_USER_IDS_LIMITS.maxValues;
  return work.map((w): PreviewedRow => {
    const duplicate = duplicates.get(w.src.line);
    const error =
      w.error ??
      (duplicate === undefined
        ? null
        : new AppError(duplicate.code, {
            details: { line: w.src.line, firstLine: duplicate.firstLine, value: duplicate.value ?? '' },
          })) ??
      (w.plan?.view.refusal === null || w.plan === null
        ? null
        : new AppError(w.plan.view.refusal.code, { details: { ...w.plan.view.refusal.details, line: w.src.line } }));
    const status =
      error !== null ? statusOfCode(error.code) : w.plan === null ? 'lookup-failed' : statusOfPlan(w.plan.view);
    const view = w.plan?.view;
    const conflicts = [
      ...w.conflicts.map((c) => ({ value: c.value, userPrincipalName: c.userPrincipalName ?? c.userId, line: null })),
      ...(duplicate === undefined || duplicate.value === null
        ? []
        : [{ value: duplicate.value, userPrincipalName: null, line: duplicate.firstLine }]),
    ];
    return {
      row: {
        line: w.src.line,
        source: w.src.source,
        user: w.src.user,
        userId: w.user?.id ?? null,
        userPrincipalName: w.user?.userPrincipalName ?? null,
        holder: holderOf(w.card),
        isRenewal: w.src.isRenewal,
        status,
        values: w.plan?.chosen ?? [],
        current: view?.current ?? [],
        next: view?.refusal === null && view.writePath === 'graph' ? view.next : [],
        altSecurityIdentities: view?.altSecurityIdentities ?? [],
        conflicts,
        maxValues,
        error: error === null ? null : toContractError(error),
      },
      der: w.card?.der ?? null,
    };
  });
}
