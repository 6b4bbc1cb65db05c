/**
 * French text of an error for the terminal: the app's own catalog message for an `AppError` (same words as the
 * window), a short generic sentence otherwise. Never a stack trace.
 */
import { AppError } from '../../shared/errors';
import { en } from '../../shared/i18n/en';
import { fr } from '../../shared/i18n/fr';

/** The catalog entry at a dotted key (`errors.identity.failed`), if it is a string. */
function lookup(key: string, root: unknown = fr): string | undefined {
  let node: unknown = root;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, part)) {
      return undefined;
    }
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** Fill `{{name}}` slots from the error's details; a slot without a value reads as « ? ». */
function interpolate(text: string, details: Readonly<Record<string, unknown>> | undefined): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_slot, name: string) => {
    const value = details?.[name];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : '?';
  });
}

/**
 * The catalog text at a dotted key with `{{name}}` slots filled (French by default, English on request); the key
 * itself when the catalog has no such string, so a missing entry shows up instead of an empty line.
 */
export function catalogText(
  key: string,
  values: Readonly<Record<string, string>> = {},
  catalog: 'fr' | 'en' = 'fr',
): string {
  const text = lookup(key, catalog === 'fr' ? fr : en);
  return text === undefined ? key : text.replace(/\{\{(\w+)\}\}/g, (_slot, name: string) => values[name] ?? '?');
}

/** The French message for an error, followed by its code when it has one. */
export function errorText(error: unknown): string {
  if (error instanceof AppError) {
    const text = lookup(error.messageKey) ?? lookup(`errors.${error.code}`);
    return text === undefined ? `Échec : ${error.code}.` : `${interpolate(text, error.details)} (${error.code})`;
  }
  const detail = error instanceof Error ? error.message : String(error);
  return `Erreur inattendue : ${detail.split('\n')[0]?.slice(0, 300) ?? ''}`;
}
