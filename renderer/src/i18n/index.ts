import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { catalogs, defaultLanguage } from '../../../shared/i18n';

/** i18next over the shared catalogs; French by default, English as fallback for missing keys in neither. */
export async function initI18n(): Promise<typeof i18next> {
  await i18next.use(initReactI18next).init({
    resources: { fr: { translation: catalogs.fr }, en: { translation: catalogs.en } },
    lng: defaultLanguage,
    fallbackLng: 'fr',
    // React escapes; a detail missing from an error never shows as a raw {{placeholder}}.
    interpolation: { escapeValue: false },
    missingInterpolationHandler: () => '…',
    returnNull: false,
  });
  return i18next;
}
