import type { DeskState } from './desk-state';

/**
 * Technical name of the demo mode's virtual reader, as the main process reports it (`electron/app/demo-cards.ts`).
 *
 * It stays stable across languages because it identifies the reader on the wire; only its display is translated.
 */
export const DEMO_READER_NAME = 'Lecteur virtuel (démo)';

/**
 * The desk state as displayed: every reader name shown or announced goes through `display` (the demo reader gets
 * its translated name).
 *
 * `report.reader` is left as is: it is the source handed back to the main process when enrolling, never shown.
 */
export function displayDeskState(state: DeskState, display: (reader: string) => string): DeskState {
  const spoken = state.announcement;
  const announcement =
    spoken?.values.reader === undefined
      ? spoken
      : { ...spoken, values: { ...spoken.values, reader: display(spoken.values.reader) } };
  return {
    ...state,
    status:
      state.status === null
        ? null
        : {
            ...state.status,
            readers: state.status.readers.map((reader) => ({ ...reader, name: display(reader.name) })),
          },
    failure: state.failure === null ? null : { ...state.failure, reader: display(state.failure.reader) },
    readingReader: state.readingReader === null ? null : display(state.readingReader),
    announcement,
  };
}

/** Back from a displayed reader name to the technical one the main process knows (identity when none matches). */
export function technicalReaderName(state: DeskState, shown: string, display: (reader: string) => string): string {
  return state.status?.readers.find((reader) => display(reader.name) === shown)?.name ?? shown;
}
