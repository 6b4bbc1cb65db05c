/**
 * The enrollment service's reads: candidate search, write and removal previews, holders of a certificate, user
 * search, and the synced-user AD instruction note. Each read is journaled, and a failed one too (with its error),
 * and each tells the replayer whether Graph answers.
 */
import type { EnrollmentService, EnrollmentServiceDeps } from './index';
import type { FindCandidatesOutput } from '../../../shared/contract/enrollment';
import { AppError } from '../../../shared/errors';
import { resolveCard } from './card';
import type { ResolvedCard } from './card';
import { createDirectory } from './directory';
import { isTransient } from './errors';
import { prepareWrite } from './execute';
import { findCandidates } from './find';
import { entry } from './journal';
import type { Agent } from './journal';
import { findHolders, searchUsers } from './lookups';
import { previewRemoval } from './remove';
import type { createReplayer } from './replay';

type Reads = Pick<
  EnrollmentService,
  'findCandidates' | 'plan' | 'planRemoval' | 'findHolders' | 'searchUsers' | 'noteAdInstruction'
>;

/** Create the reads over the service's dependencies. */
export function createReads(input: {
  deps: EnrollmentServiceDeps;
  replayer: Pick<ReturnType<typeof createReplayer>, 'markOnline' | 'markOffline'>;
  configuredGroupId: () => Promise<string | null>;
}): Reads {
  const { deps, replayer, configuredGroupId } = input;
  const context = async () => ({
    directory: createDirectory((await deps.session()).graph),
    configuredGroupId: await configuredGroupId(),
    ...(deps.limits === undefined ? {} : { limits: deps.limits }),
    ...(deps.certificateStatus === undefined ? {} : { certificateStatus: deps.certificateStatus }),
  });

  /** Journal a failed read (search, preview) and track reachability; rethrows. */
  const readFailed = async (
    error: unknown,
    agent: Agent,
    kind: 'search-failed' | 'preview-read',
    details: Record<string, string | number | boolean | null>,
    card?: ResolvedCard,
  ): Promise<never> => {
    if (isTransient(error)) {
      replayer.markOffline();
    }
    await deps.store.journal.append(
      entry({
        kind,
        agent,
        card: card?.journal,
        details: { ...details, error: error instanceof AppError ? error.code : 'internal' },
      }),
    );
    throw error;
  };

  return {
    async findCandidates(source, query) {
      const card = await resolveCard(source, deps.lastCertificate);
      const session = await deps.session();
      const { identifierAttribute } = await deps.config();
      let found: FindCandidatesOutput;
      try {
        found = await findCandidates({
          directory: createDirectory(session.graph),
          card,
          identifierAttribute,
          query,
        });
      } catch (error) {
        return readFailed(
          error,
          session.agent,
          'search-failed',
          { step: 'find-candidates', source: source.kind },
          card,
        );
      }
      replayer.markOnline();
      await deps.store.journal.append(
        entry({
          kind: 'card-read',
          agent: session.agent,
          card: card.journal,
          details: {
            source: source.kind,
            serialHex: card.info.serialHex,
            candidates: found.candidates.length,
            conflicts: found.conflicts.length,
          },
        }),
      );
      return found;
    },
    async plan(target) {
      const card = await resolveCard(target.source, deps.lastCertificate);
      const session = await deps.session();
      const ctx = await context();
      try {
        const { plan } = await prepareWrite(ctx, card, target.userId, target.isRenewal ?? false);
        replayer.markOnline();
        await deps.store.journal.append(
          entry({
            kind: 'preview-read',
            agent: session.agent,
            card: card.journal,
            user: { id: plan.view.userId, upn: plan.view.userPrincipalName },
            details: {
              step: 'plan',
              writePath: plan.view.writePath,
              current: plan.view.current,
              added: plan.view.added,
              removed: plan.view.removed,
              refusal: plan.view.refusal?.code ?? null,
            },
          }),
        );
        return plan.view;
      } catch (error) {
        return readFailed(error, session.agent, 'preview-read', { step: 'plan', userId: target.userId }, card);
      }
    },
    async planRemoval(target) {
      const card = target.source === undefined ? undefined : await resolveCard(target.source, deps.lastCertificate);
      const session = await deps.session();
      const ctx = await context();
      try {
        const view = await previewRemoval(ctx, target.userId, {
          card,
          values: card === undefined ? (target.values ?? []) : undefined,
          reason: target.reason ?? 'other',
        });
        replayer.markOnline();
        await deps.store.journal.append(
          entry({
            kind: 'preview-read',
            agent: session.agent,
            card: card?.journal,
            user: { id: view.userId, upn: view.userPrincipalName },
            details: {
              step: 'plan-removal',
              reason: target.reason ?? 'other',
              current: view.current,
              removed: view.remove,
              kept: view.kept.map((k) => k.value),
            },
          }),
        );
        return view;
      } catch (error) {
        return readFailed(error, session.agent, 'preview-read', { step: 'plan-removal', userId: target.userId }, card);
      }
    },
    async findHolders(source) {
      const card = await resolveCard(source, deps.lastCertificate);
      const session = await deps.session();
      try {
        const users = await findHolders(createDirectory(session.graph), card);
        replayer.markOnline();
        await deps.store.journal.append(
          entry({
            kind: 'card-read',
            agent: session.agent,
            card: card.journal,
            details: {
              step: 'find-holders',
              source: source.kind,
              serialHex: card.info.serialHex,
              holders: users.length,
            },
          }),
        );
        return { users };
      } catch (error) {
        return readFailed(error, session.agent, 'search-failed', { step: 'find-holders', source: source.kind }, card);
      }
    },
    async searchUsers(query) {
      const session = await deps.session();
      const { identifierAttribute } = await deps.config();
      try {
        const users = await searchUsers(createDirectory(session.graph), query, identifierAttribute);
        replayer.markOnline();
        await deps.store.journal.append(
          entry({ kind: 'preview-read', agent: session.agent, details: { step: 'search-users', users: users.length } }),
        );
        return { users };
      } catch (error) {
        return readFailed(error, session.agent, 'search-failed', { step: 'search-users' });
      }
    },
    async noteAdInstruction(target) {
      const card = await resolveCard(target.source, deps.lastCertificate);
      const session = await deps.session();
      const { plan } = await prepareWrite(await context(), card, target.userId, target.isRenewal ?? false);
      if (plan.view.refusal !== null) {
        throw new AppError(plan.view.refusal.code, { details: { ...plan.view.refusal.details } });
      }
      if (plan.view.writePath !== 'entra-connect' || !plan.view.adInstruction) {
        throw new AppError('enrollment.not-a-synced-user', { details: { userId: target.userId } });
      }
      const written = await deps.store.journal.append(
        entry({
          kind: 'ad-instruction-noted',
          agent: session.agent,
          card: card.journal,
          user: { id: plan.view.userId, upn: plan.view.userPrincipalName },
          details: {
            altSecurityIdentities: plan.view.altSecurityIdentities,
            powershell: plan.view.adInstruction.powershell,
            outboundExpression: plan.view.adInstruction.outboundExpression,
          },
        }),
      );
      return { journalSeq: written.seq };
    },
  };
}
