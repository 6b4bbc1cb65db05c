import type { CardReport, CardsStatus } from '../../../shared/contract/cards';
import type { EventBus } from '../../app/event-bus';
import { buildCardReport } from '../../../shared/desk/card-report';
import type { TrustMaterial } from '../../../shared/desk/card-report';
import { AppError } from '../../../shared/errors';
import type { Logger } from '../../../shared/logging';
import type { CardErrorInfo, CardReadSummary, CardService, CardServiceEvent } from '../cards';

/** The card desk as the UI sees it: reader status, and a full report for every card read. */
export interface DeskService {
  status(): CardsStatus;
  read(reader: string): Promise<CardReport>;
  /** DER of the authentication certificate last read in this reader (enrollment), while the card is in. */
  lastCertificate(reader: string): Uint8Array | undefined;
}

export type DeskServiceDeps = {
  cards: CardService;
  /** CA certificates and CRLs available now (tenant, imported files, demo PKI). */
  trustMaterial: () => Promise<TrustMaterial>;
  emit: EventBus['emit'];
  logger: Logger;
  now?: () => Date;
};

/**
 * Bridge the card service to the contract: every hardware event becomes a status snapshot, every read a validated
 * report with the computed `certificateUserIds`. A read started automatically on insertion and a read the UI asks
 * for share the same report.
 */
export function createDeskService(deps: DeskServiceDeps): DeskService {
  const now = deps.now ?? (() => new Date());
  const reports = new Map<string, Promise<CardReport>>();
  const readyReports = new Map<string, CardReport>();
  const certificates = new Map<string, Uint8Array>();
  let problem: CardErrorInfo | null = null;

  const status = (): CardsStatus => ({
    state: deps.cards.state(),
    problem: problem === null ? null : { code: problem.code, messageKey: problem.messageKey, details: problem.details },
    readers: deps.cards.readers(),
    reports: [...readyReports.values()],
  });

  const report = async (summary: CardReadSummary): Promise<CardReport> => {
    const auth = summary.authenticationCertificate;
    if (auth === null) {
      throw new AppError('card.no-auth-certificate', { details: { reader: summary.reader } });
    }
    let material: TrustMaterial;
    try {
      material = await deps.trustMaterial();
    } catch (error) {
      // The trust store, not the card, is at fault: say so instead of blaming the certificate.
      deps.logger.warn('trust material unavailable', { error: String(error) });
      throw error instanceof AppError && error.code.startsWith('trust.')
        ? error
        : new AppError('trust.unavailable', { details: { reader: summary.reader }, cause: error });
    }
    try {
      return await buildCardReport(
        {
          reader: summary.reader,
          generation: summary.generation,
          cardNumber: summary.cardNumber,
          apdus: summary.apdus,
          durationMs: summary.durationMs,
          authenticationDer: Buffer.from(auth.derBase64, 'base64'),
        },
        material,
        now(),
      );
    } catch (error) {
      throw error instanceof AppError
        ? error
        : new AppError('card.corrupt-certificate', { details: { reader: summary.reader }, cause: error });
    }
  };

  const failed = (reader: string, error: AppError | CardErrorInfo, willRetryOnReinsert: boolean) => {
    deps.emit('cards:read-failed', {
      reader,
      error: { code: error.code, messageKey: error.messageKey, details: { ...(error.details ?? {}) } },
      willRetryOnReinsert,
    });
  };

  const onCardEvent = (event: CardServiceEvent) => {
    switch (event.type) {
      case 'state-changed':
        problem = event.error ?? null;
        deps.emit('cards:status-changed', status());
        return;
      case 'reader-added':
      case 'reader-removed':
      case 'card-inserted':
      case 'card-removed':
        if (event.type === 'card-removed' || event.type === 'reader-removed') {
          reports.delete(event.reader);
          readyReports.delete(event.reader);
          certificates.delete(event.reader);
        }
        // A contactless CPS3 needs no special case here: the card service's read fails with `card.contactless`
        // from the ATR alone and that failure reaches the agent once, through `read-failed` below.
        deps.emit('cards:status-changed', status());
        return;
      case 'read-started':
        deps.emit('cards:read-started', { reader: event.reader });
        deps.emit('cards:status-changed', status());
        return;
      case 'read-succeeded': {
        const der = event.result.authenticationCertificate?.derBase64;
        if (der !== undefined) {
          certificates.set(event.reader, new Uint8Array(Buffer.from(der, 'base64')));
        }
        const pending = report(event.result);
        reports.set(event.reader, pending);
        pending.then(
          (value) => {
            if (reports.get(event.reader) === pending) {
              readyReports.set(event.reader, value);
            }
            deps.emit('cards:read-succeeded', value);
          },
          (error: unknown) => {
            failed(event.reader, error instanceof AppError ? error : new AppError('internal', { cause: error }), false);
          },
        );
        deps.emit('cards:status-changed', status());
        return;
      }
      case 'read-failed':
        failed(event.reader, event.error, event.retryOnReinsert);
        deps.emit('cards:status-changed', status());
        return;
    }
  };
  deps.cards.onEvent(onCardEvent);

  return {
    status,
    async read(reader) {
      await deps.cards.readCard(reader);
      const pending = reports.get(reader);
      if (pending === undefined) {
        throw new AppError('card.removed', { details: { reader } });
      }
      return pending;
    },
    lastCertificate: (reader) => certificates.get(reader),
  };
}
