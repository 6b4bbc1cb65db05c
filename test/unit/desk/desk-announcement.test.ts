import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { deskReducer, initialDeskState } from '../../../renderer/src/features/desk/state/desk-state';
import type { Announcement } from '../../../renderer/src/features/desk/state/desk-state';
import { catalogs } from '../../../shared/i18n';

/** Same composition as DeskPage: the reason is translated first, then fills the sentence's slot. */
function spoken(t: (key: string, values?: Record<string, unknown>) => string, a: Announcement): string {
  return t(a.key, { ...a.values, reason: a.reason === undefined ? '' : t(a.reason.key, a.reason.values) });
}

const failures = [
  { code: 'card.contactless', details: { reader: 'R1' }, fr: 'placez la carte dans un lecteur à contact' },
  { code: 'card.removed', details: { reader: 'R1' }, fr: 'La carte a été retirée pendant la lecture' },
  { code: 'trust.unavailable', details: {}, fr: 'Le magasin de confiance' },
] as const;

describe('desk screen-reader announcement of a failed read', () => {
  beforeAll(async () => {
    await i18next.init({
      resources: { fr: { translation: catalogs.fr }, en: { translation: catalogs.en } },
      lng: 'fr',
      interpolation: { escapeValue: false },
    });
  });

  it.each(failures)('names the reader and the translated reason for $code', ({ code, details, fr }) => {
    const state = deskReducer(initialDeskState, {
      type: 'read-failed',
      failure: {
        reader: 'Lecteur A',
        error: { code, messageKey: `errors.${code}`, details },
        willRetryOnReinsert: false,
      },
    });
    expect(state.announcement).not.toBeNull();
    const sentence = spoken(i18next.t.bind(i18next), state.announcement!);
    expect(sentence).toContain('Lecteur A');
    expect(sentence).toContain(fr);
    expect(sentence).not.toContain('errors.');
  });
});
