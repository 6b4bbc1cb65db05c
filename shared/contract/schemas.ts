import { z } from 'zod';

/** Shapes shared by several channels. */
export const languageSchema = z.enum(['fr', 'en']);
export type Language = z.infer<typeof languageSchema>;

export const themePreferenceSchema = z.enum(['system', 'light', 'dark']);
export type ThemePreference = z.infer<typeof themePreferenceSchema>;

export const settingsSchema = z.object({
  language: languageSchema,
  theme: themePreferenceSchema,
  /** Application (client) ID of the establishment's own Entra app registration, for live mode. */
  clientId: z.uuid().optional(),
  /** Object id of the group that scopes certificate-based authentication (enrolled practitioners are added). */
  cbaGroupId: z.string().min(1).max(100).optional(),
  /** User property holding the national identifier (RPPS/ADELI), e.g. `onPremisesExtensionAttributes/extensionAttribute1`. */
  identifierAttribute: z.string().min(1).max(120).optional(),
});
export type Settings = z.infer<typeof settingsSchema>;

/**
 * User properties Graph can filter on that may hold the national identifier: `onPremisesExtensionAttributes/
 * extensionAttribute1..15`, a directory extension `extension_<appId without dashes>_<name>`, or `employeeId`.
 * Anything else would fail at the desk (and must never reach `$filter`/`$select` as raw text).
 */
export const IDENTIFIER_ATTRIBUTE =
  /^(onPremisesExtensionAttributes\/extensionAttribute([1-9]|1[0-5])|extension_[0-9a-f]{32}_[A-Za-z0-9_]{1,100}|employeeId)$/;

/** An Entra object id: a GUID (8-4-4-4-12 hex; any version, as object ids and emulator ids are not all RFC 4122). */
export const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** True when the text is a GUID (Entra object id shape). */
export function isGuid(text: string): boolean {
  return GUID.test(text);
}

/**
 * `settings:update` input: strict on what is saved from now on (a valid identifier attribute, a GUID group id), while
 * `settingsSchema` stays lenient so files saved by earlier versions still load.
 */
export const settingsUpdateInputSchema = settingsSchema
  .extend({
    cbaGroupId: z.string().regex(GUID, 'cbaGroupId must be a GUID (object id)').optional(),
    identifierAttribute: z
      .string()
      .max(120)
      .regex(IDENTIFIER_ATTRIBUTE, 'identifierAttribute is not filterable')
      .optional(),
  })
  .partial()
  .strict();
export type SettingsUpdateInput = z.infer<typeof settingsUpdateInputSchema>;

export const appModeSchema = z.enum(['demo', 'live']);
export type AppMode = z.infer<typeof appModeSchema>;

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  mode: appModeSchema,
  host: z.enum(['electron', 'browser']),
  platform: z.string(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

/** `app:set-mode`: the mode to start in from now on (saved per machine; a restart applies it). */
export const setModeInputSchema = z.object({ mode: appModeSchema }).strict();

/** `app:set-mode` reply: whether a restart is needed, and whether the host is restarting by itself. */
export const setModeOutputSchema = z.object({ restartRequired: z.boolean(), restarting: z.boolean() });
export type SetModeOutput = z.infer<typeof setModeOutputSchema>;
