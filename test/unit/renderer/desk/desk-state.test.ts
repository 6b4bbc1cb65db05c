import { describe, expect, it } from 'vitest';
import type { CardReport, CardsStatus } from '../../../../shared/contract/cards';
import { deskReducer, holderName, initialDeskState } from '../../../../renderer/src/features/desk/state/desk-state';

const status = (cards: Record<string, boolean>): CardsStatus => ({
  state: 'ready',
  problem: null,
  readers: Object.entries(cards).map(([name, hasCard]) => ({
    name,
    card: hasCard ? { atr: '3B', generation: 'cps3', interface: 'contact' } : null,
    reading: false,
  })),
  reports: [],
});

const report = (reader: string, holder: Partial<CardReport['holder']> = {}): CardReport => ({
  reader,
  generation: 'cps3',
  cardNumber: '2801234567',
  apdus: 11,
  durationMs: 40,
  kind: 'cpx-auth',
  holder: { surname: 'LÉGER-DUPRÉ', givenName: 'Hélène', commonName: '810101234567', ...holder },
  profession: 'Médecin',
  identifier: { type: 'rpps', value: '10101234567' },
  cardType: 'CPS',
  isTestCard: true,
  upn: '8.10101234567@carte-cps.fr',
  issuer: 'C=FR',
  validity: { notBefore: '2026-01-01T00:00:00Z', notAfter: '2029-01-01T00:00:00Z', status: 'valid', daysLeft: 800 },
  chain: 'valid',
  revocation: 'good',
  mappings: [],
});

const failure = (reader: string) => ({
  reader,
  error: { code: 'card.removed', messageKey: 'errors.card.removed' },
  willRetryOnReinsert: true,
});

describe('renderer/features/desk/state/desk-state', () => {
  it('announces a card that appears in a reader', () => {
    const before = deskReducer(initialDeskState, { type: 'status', status: status({ A: false, B: false }) });

    const after = deskReducer(before, { type: 'status', status: status({ A: false, B: true }) });

    expect(after.announcement).toEqual({ key: 'desk.cardInserted', values: { reader: 'B' } });
  });

  it('does not announce a card that was already there', () => {
    const before = deskReducer(initialDeskState, { type: 'status', status: status({ A: true }) });
    const withAnnouncement = { ...before, announcement: null };

    expect(deskReducer(withAnnouncement, { type: 'status', status: status({ A: true }) }).announcement).toBeNull();
  });

  it('clears a previous failure when a new read starts, and marks the reader busy', () => {
    const failed = deskReducer(initialDeskState, { type: 'read-failed', failure: failure('A') });

    const reading = deskReducer(failed, { type: 'read-started', reader: 'A' });

    expect(reading.failure).toBeNull();
    expect(reading.readingReader).toBe('A');
  });

  it('shows the new report and announces the holder by name', () => {
    const reading = deskReducer(initialDeskState, { type: 'read-started', reader: 'A' });

    const read = deskReducer(reading, { type: 'read-succeeded', report: report('A') });

    expect(read.report?.reader).toBe('A');
    expect(read.readingReader).toBeNull();
    expect(read.announcement).toEqual({ key: 'desk.cardRead', values: { name: 'Hélène LÉGER-DUPRÉ' } });
  });

  it.each([
    ['drops the report of the reader that failed', 'A', null],
    ['keeps the report of another reader', 'B', 'A'],
  ])('%s', (_label, failingReader, remaining) => {
    const read = deskReducer(initialDeskState, { type: 'read-succeeded', report: report('A') });

    const after = deskReducer(read, { type: 'read-failed', failure: failure(failingReader) });

    expect(after.report?.reader ?? null).toBe(remaining);
    expect(after.failure?.reader).toBe(failingReader);
  });

  it.each([
    [{ givenName: 'Hélène', surname: 'LÉGER-DUPRÉ' }, 'Hélène LÉGER-DUPRÉ'],
    [{ givenName: null, surname: 'ADMINISTRATIF' }, 'ADMINISTRATIF'],
    [{ givenName: null, surname: null, commonName: '30B0057881/CPET0002' }, '30B0057881/CPET0002'],
  ])('names the holder %j as %s', (holder, expected) => {
    expect(holderName(report('A', holder))).toBe(expected);
  });

  it('shows the card already in a reader when the window opens after the read', () => {
    const opened = deskReducer(initialDeskState, {
      type: 'status',
      status: { ...status({ A: true }), reports: [report('A')] },
    });

    expect(opened.report?.reader).toBe('A');
  });

  it('announces the card already in a reader as read, not merely inserted, when the window opens', () => {
    const opened = deskReducer(initialDeskState, {
      type: 'status',
      status: { ...status({ A: true }), reports: [report('A')] },
    });

    expect(opened.announcement).toEqual({ key: 'desk.cardRead', values: { name: 'Hélène LÉGER-DUPRÉ' } });
  });

  it('announces a card without a report yet as inserted when the window opens', () => {
    const opened = deskReducer(initialDeskState, { type: 'status', status: status({ A: true }) });

    expect(opened.announcement).toEqual({ key: 'desk.cardInserted', values: { reader: 'A' } });
  });

  it('keeps the current announcement when a later status repeats the known report', () => {
    const inserted = deskReducer(initialDeskState, { type: 'status', status: status({ A: true }) });
    const read = deskReducer(inserted, { type: 'read-succeeded', report: report('A') });
    const failed = deskReducer(read, { type: 'read-failed', failure: failure('B') });

    const after = deskReducer(failed, { type: 'status', status: { ...status({ A: true }), reports: [report('A')] } });

    expect(after.announcement?.key).toBe('desk.readFailed');
  });
});
