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
