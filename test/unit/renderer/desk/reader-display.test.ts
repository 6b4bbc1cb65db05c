import { describe, expect, it } from 'vitest';
import { demoReaderName } from '../../../../electron/app/demo-cards';
import type { CardsStatus } from '../../../../shared/contract/cards';
import { deskReducer, initialDeskState } from '../../../../renderer/src/features/desk/state/desk-state';
import {
  DEMO_READER_NAME,
  displayDeskState,
  technicalReaderName,
} from '../../../../renderer/src/features/desk/state/reader-display';

const display = (reader: string) => (reader === DEMO_READER_NAME ? 'Virtual reader (demo)' : reader);

const status: CardsStatus = {
  state: 'ready',
  problem: null,
  readers: [
    { name: DEMO_READER_NAME, card: { atr: '3B', generation: 'cps3', interface: 'contact' }, reading: false },
    { name: 'Gemalto PC Twin', card: null, reading: false },
  ],
  reports: [],
};

describe('renderer/features/desk/state/reader-display', () => {
  it('matches the technical name the main process gives the demo reader', () => {
    expect(DEMO_READER_NAME).toBe(demoReaderName);
  });

  it('shows and announces the demo reader under its display name, other readers unchanged', () => {
    const inserted = deskReducer(initialDeskState, { type: 'status', status });
    const reading = deskReducer(inserted, { type: 'read-started', reader: DEMO_READER_NAME });
    const failed = deskReducer(reading, {
      type: 'read-failed',
      failure: {
        reader: DEMO_READER_NAME,
        error: { code: 'card.removed', messageKey: 'errors.card.removed' },
        willRetryOnReinsert: true,
      },
    });

    const shown = displayDeskState(failed, display);

    expect(shown.status?.readers.map((r) => r.name)).toEqual(['Virtual reader (demo)', 'Gemalto PC Twin']);
    expect(shown.failure?.reader).toBe('Virtual reader (demo)');
    expect(shown.announcement?.values.reader).toBe('Virtual reader (demo)');
    expect(displayDeskState(reading, display).readingReader).toBe('Virtual reader (demo)');
    expect(displayDeskState(inserted, display).announcement?.values.reader).toBe('Virtual reader (demo)');
  });

  it.each([
    ['Virtual reader (demo)', DEMO_READER_NAME],
    ['Gemalto PC Twin', 'Gemalto PC Twin'],
    ['Unknown reader', 'Unknown reader'],
  ])('maps the displayed name %s back to %s for the main process', (shown, technical) => {
    const state = deskReducer(initialDeskState, { type: 'status', status });

    expect(technicalReaderName(state, shown, display)).toBe(technical);
  });
});
