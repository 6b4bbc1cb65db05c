import { z } from 'zod';
import { accountStateSchema, requestScopesInputSchema, signInInputSchema, tenantOverviewSchema } from './account';
import {
  bulkCsvInputSchema,
  bulkJobIdSchema,
  bulkJobSchema,
  bulkPreviewSchema,
  bulkResultsSchema,
  bulkSaveResultsInputSchema,
  bulkSaveResultsOutputSchema,
} from './bulk';
import { cardReportSchema, cardsStatusSchema, demoCardProfileSchema } from './cards';
import {
  caImportInputSchema,
  caImportOutcomeSchema,
  crlImportInputSchema,
  crlUpdateOutcomeSchema,
  trustStoreViewSchema,
} from './cards';
import {
  certificateSourceSchema,
  directoryUsersOutputSchema,
  enrollmentOutcomeSchema,
  enrollmentPlanSchema,
  enrollmentTargetSchema,
  findCandidatesOutputSchema,
  journalViewSchema,
  queueConfirmSchema,
  queueItemRefSchema,
  queueStateSchema,
  removalPlanSchema,
  removalTargetSchema,
} from './enrollment';
import {
  appInfoSchema,
  setModeInputSchema,
  setModeOutputSchema,
  settingsSchema,
  settingsUpdateInputSchema,
} from './schemas';

/**
 * Every request/response channel: `domain:action` name, input schema, output schema.
 *
 * Adding a capability means adding an entry here and a handler in the main process; types flow from the schemas.
 */
export const channels = {
  'app:get-info': { input: z.undefined(), output: appInfoSchema },
  'app:set-mode': { input: setModeInputSchema, output: setModeOutputSchema },
  'settings:get': { input: z.undefined(), output: settingsSchema },
  'settings:update': { input: settingsUpdateInputSchema, output: settingsSchema },
  'cards:get-status': { input: z.undefined(), output: cardsStatusSchema },
  'cards:read': { input: z.object({ reader: z.string().min(1).max(200) }).strict(), output: cardReportSchema },
  'trust:get-store': { input: z.undefined(), output: trustStoreViewSchema },
  'trust:import-cas': { input: caImportInputSchema, output: caImportOutcomeSchema },
  'trust:import-crl': { input: crlImportInputSchema, output: trustStoreViewSchema },
  'trust:update-crls': { input: z.undefined(), output: crlUpdateOutcomeSchema },
  'trust:remove-ca': {
    input: z.object({ sha256: z.string().regex(/^[0-9A-Fa-f]{64}$/) }).strict(),
    output: trustStoreViewSchema,
  },
  'demo:insert-card': { input: z.object({ profile: demoCardProfileSchema }).strict(), output: z.null() },
  'demo:remove-card': { input: z.undefined(), output: z.null() },
  'account:get-state': { input: z.undefined(), output: accountStateSchema },
  'account:sign-in': { input: signInInputSchema, output: accountStateSchema },
  'account:switch': {
    input: z
      .object({ homeAccountId: z.string().min(1).max(300), tenantId: z.string().min(1).max(100).optional() })
      .strict(),
    output: accountStateSchema,
  },
  'account:sign-out': {
    input: z
      .object({ homeAccountId: z.string().min(1).max(300), tenantId: z.string().min(1).max(100).optional() })
      .strict()
      .optional(),
    output: accountStateSchema,
  },
  'account:request-scopes': { input: requestScopesInputSchema, output: accountStateSchema },
  'account:cancel-sign-in': { input: z.undefined(), output: z.object({ cancelled: z.number().int().nonnegative() }) },
  'tenant:get-overview': { input: z.undefined(), output: tenantOverviewSchema },
  'enrollment:find-candidates': {
    input: z.object({ source: certificateSourceSchema, query: z.string().max(200).optional() }).strict(),
    output: findCandidatesOutputSchema,
  },
  'enrollment:plan': { input: enrollmentTargetSchema, output: enrollmentPlanSchema },
  'enrollment:apply': { input: enrollmentTargetSchema, output: enrollmentOutcomeSchema },
  'enrollment:remove': { input: removalTargetSchema, output: enrollmentOutcomeSchema },
  'enrollment:plan-removal': { input: removalTargetSchema, output: removalPlanSchema },
  'enrollment:find-holders': {
    input: z.object({ source: certificateSourceSchema }).strict(),
    output: directoryUsersOutputSchema,
  },
  'enrollment:search-users': {
    input: z.object({ query: z.string().min(2).max(200) }).strict(),
    output: directoryUsersOutputSchema,
  },
  'enrollment:note-ad-instruction': {
    input: enrollmentTargetSchema,
    output: z.object({ journalSeq: z.number().int() }),
  },
  'enrollment:get-queue': { input: z.undefined(), output: queueStateSchema },
  'enrollment:replay': { input: z.undefined(), output: queueStateSchema },
  'enrollment:retry-item': { input: queueItemRefSchema, output: queueStateSchema },
  'enrollment:dismiss-item': { input: queueItemRefSchema, output: queueStateSchema },
  'enrollment:confirm-item': { input: queueConfirmSchema, output: queueStateSchema },
  'bulk:preview': { input: bulkCsvInputSchema, output: bulkPreviewSchema },
  'bulk:apply': { input: bulkCsvInputSchema, output: z.object({ jobId: z.string() }) },
  'bulk:cancel': { input: z.object({ jobId: z.string().min(1).max(100) }).strict(), output: z.null() },
  'bulk:resume': { input: bulkJobIdSchema, output: z.object({ jobId: z.string() }) },
  'bulk:discard': { input: bulkJobIdSchema, output: z.null() },
  'bulk:get-job': { input: z.undefined(), output: bulkJobSchema.nullable() },
  'bulk:get-results': { input: bulkJobIdSchema, output: bulkResultsSchema },
  'bulk:save-results': { input: bulkSaveResultsInputSchema, output: bulkSaveResultsOutputSchema },
  'journal:get': { input: z.object({ limit: z.number().int().min(1).max(500) }).strict(), output: journalViewSchema },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type ChannelInput<K extends ChannelName> = z.input<Channels[K]['input']>;
export type ChannelParsedInput<K extends ChannelName> = z.output<Channels[K]['input']>;
export type ChannelOutput<K extends ChannelName> = z.output<Channels[K]['output']>;

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.hasOwn(channels, name);
}
