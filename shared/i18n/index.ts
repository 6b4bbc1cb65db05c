import { en } from './en';
import { fr } from './fr';
import type { Catalog } from './fr';
import type { Language } from '../contract/schemas';

export type { Catalog } from './fr';

/** All UI catalogs, French first. */
export const catalogs: Readonly<Record<Language, Catalog>> = { fr, en };

export const defaultLanguage: Language = 'fr';
