import type { CardReport, CardsStatus, ReadFailure } from '../../../../../shared/contract/cards';

/**
 * A sentence for screen readers: an i18n key and its values.
 *
 * `reason` is a second translated sentence (the error's own message) that fills the `{{reason}}` slot, so a failed
 * read is announced with why it failed, not only where.
 */
export type Announcement = {
  key: string;
  values: Record<string, string>;
  reason?: { key: string; values: Record<string, unknown> };
};

/** Everything the Guichet renders. */
export type DeskState = {
  status: CardsStatus | null;
  report: CardReport | null;
  failure: ReadFailure | null;
  readingReader: string | null;
  announcement: Announcement | null;
};

/** What happens at the desk, as seen through the contract. */
export type DeskEvent =
  | { type: 'status'; status: CardsStatus }
  | { type: 'read-started'; reader: string }
  | { type: 'read-succeeded'; report: CardReport }
  | { type: 'read-failed'; failure: ReadFailure };

export const initialDeskState: DeskState = {
  status: null,
  report: null,
  failure: null,
  readingReader: null,
  announcement: null,
};

/** Display name of a holder: given name then surname, else the CN. */
export function holderName(report: CardReport): string {
  const parts = [report.holder.givenName, report.holder.surname].filter((part): part is string => part !== null);
  return parts.length > 0 ? parts.join(' ') : (report.holder.commonName ?? '');
}

function insertedReader(previous: CardsStatus | null, next: CardsStatus): string | undefined {
  const hadCard = new Set((previous?.readers ?? []).filter((r) => r.card !== null).map((r) => r.name));
  return next.readers.find((reader) => reader.card !== null && !hadCard.has(reader.name))?.name;
}

/**
 * Pure transition of the desk state. A new read clears the previous failure; a failure keeps the last good report
 * only when it came from another reader, so the panel never shows a stale card as the current one.
 */
export function deskReducer(state: DeskState, event: DeskEvent): DeskState {
  switch (event.type) {
    case 'status': {
      const inserted = insertedReader(state.status, event.status);
      // A window opened (or reloaded) after the read still shows the card in hand…
      const known = event.status.reports[0];
      const isFirstReport = state.report === null && known !== undefined;
      return {
        ...state,
        status: event.status,
        report: state.report ?? known ?? null,
        // …and announces it as read, not merely inserted: the read already happened before this window listened.
        announcement: isFirstReport
          ? { key: 'desk.cardRead', values: { name: holderName(known) } }
          : inserted === undefined
            ? state.announcement
            : { key: 'desk.cardInserted', values: { reader: inserted } },
      };
    }
    case 'read-started':
      return {
        ...state,
        readingReader: event.reader,
        failure: null,
        announcement: { key: 'desk.reading', values: { reader: event.reader } },
      };
    case 'read-succeeded':
      return {
        ...state,
        report: event.report,
        failure: null,
        readingReader: state.readingReader === event.report.reader ? null : state.readingReader,
        announcement: { key: 'desk.cardRead', values: { name: holderName(event.report) } },
      };
    case 'read-failed':
      return {
        ...state,
        failure: event.failure,
        report: state.report?.reader === event.failure.reader ? null : state.report,
        readingReader: state.readingReader === event.failure.reader ? null : state.readingReader,
        announcement: {
          key: 'desk.readFailed',
          values: { reader: event.failure.reader },
          reason: { key: event.failure.error.messageKey, values: { ...(event.failure.error.details ?? {}) } },
        },
      };
  }
}
