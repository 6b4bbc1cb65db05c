import { z } from 'zod';
import { contractErrorSchema } from './envelope';
import { mappingFormSchema } from './cards';

/** Enrollment at the desk: find the account, plan and write the mapping, queue offline, journal. */

/** Where the certificate comes from: the card last read in a reader, or a certificate file the agent loaded. */
export const certificateSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('reader'), reader: z.string().min(1).max(200) }).strict(),
  z
    .object({
      kind: z.literal('certificate'),
      derBase64: z
        .string()
        .min(100)
        .max(64 * 1024)
        .regex(/^[A-Za-z0-9+/=\s]+$/),
    })
    .strict(),
]);
export type CertificateSource = z.infer<typeof certificateSourceSchema>;

export const candidateSchema = z.object({
  id: z.string(),
  displayName: z.string().nullable(),
  userPrincipalName: z.string(),
  score: z.number(),
  confidence: z.enum(['high', 'medium', 'low']),
  /** Machine-readable reasons (`identifier-match`, `exact-name`…), translated by the UI under `enrollment.reasons.*`. */
  reasons: z.array(z.string()),
  isSynced: z.boolean(),
  isEnabled: z.boolean(),
  certificateUserIds: z.array(z.string()),
});
export type Candidate = z.infer<typeof candidateSchema>;

export const conflictSchema = z.object({
  userId: z.string(),
  userPrincipalName: z.string(),
  displayName: z.string().nullable(),
  value: z.string(),
});
export type Conflict = z.infer<typeof conflictSchema>;

export const findCandidatesOutputSchema = z.object({
  candidates: z.array(candidateSchema),
  conflicts: z.array(conflictSchema),
});
export type FindCandidatesOutput = z.infer<typeof findCandidatesOutputSchema>;

export const explanationSchema = z.object({
  /** i18n key suffix under `enrollment.explanations.*` (e.g. `bindings.form-not-bound`). */
  code: z.string(),
  severity: z.enum(['info', 'warning', 'blocking']),
  /** Checklist item to open to fix the tenant side, if any. */
  checkId: z.string().nullable(),
  form: mappingFormSchema.nullable(),
});

export const enrollmentTargetSchema = z
  .object({
    source: certificateSourceSchema,
    /** The user's object id, or their UPN when Graph could not be searched (offline: resolved on replay). */
    userId: z.string().min(1).max(200),
    /** UPN shown in the queue while the item waits (the object id alone means nothing to the agent). */
    userPrincipalName: z.string().min(1).max(256).optional(),
    /** Confirmed renewal: the values of the holder's previous card are replaced. */
    isRenewal: z.boolean().default(false),
  })
  .strict();
export type EnrollmentTarget = z.input<typeof enrollmentTargetSchema>;

export const enrollmentPlanSchema = z.object({
  userId: z.string(),
  userPrincipalName: z.string(),
  writePath: z.enum(['graph', 'entra-connect']),
  values: z.array(z.object({ form: mappingFormSchema, value: z.string() })),
  explanations: z.array(explanationSchema),
  conflicts: z.array(conflictSchema),
  current: z.array(z.string()),
  next: z.array(z.string()),
  added: z.array(z.string()),
  removed: z.array(z.string()),
  /** For synced users: the exact `altSecurityIdentities` values to set in Active Directory. */
  altSecurityIdentities: z.array(z.string()),
  /** For synced users: the PowerShell line and the Entra Connect rule an AD administrator applies. */
  adInstruction: z
    .object({
      powershell: z.string(),
      metaverseAttribute: z.string(),
      inboundRule: z.string(),
      outboundRule: z.string(),
      outboundExpression: z.string(),
      warnings: z.array(z.string()),
    })
    .nullable()
    .optional(),
  /**
   * Without a confirmed renewal: values of another card of the same kind already on the account (an older card of
   * this holder, most likely), which this write keeps. The desk suggests confirming a renewal to replace them.
   */
  otherCardValues: z.array(z.string()).optional(),
  /** Why the write cannot happen as planned (limit exceeded, conflict…), before anything is sent. */
  refusal: contractErrorSchema.nullable(),
  /** The exact Graph requests that apply will send, for preview. */
  requests: z.array(
    z.object({ method: z.enum(['GET', 'PATCH', 'POST', 'DELETE']), url: z.string(), body: z.unknown().optional() }),
  ),
});
export type EnrollmentPlan = z.infer<typeof enrollmentPlanSchema>;

export const enrollmentOutcomeSchema = z.object({
  status: z.enum(['written', 'unchanged', 'queued', 'synced-user', 'removed']),
  userId: z.string(),
  userPrincipalName: z.string(),
  certificateUserIds: z.array(z.string()),
  isGroupMember: z.boolean(),
  journalSeq: z.number().int().nullable(),
  /** Values another agent or tool added or removed while this step ran (kept, never overwritten blindly). */
  unexpected: z.object({ appeared: z.array(z.string()), disappeared: z.array(z.string()) }).optional(),
});
export type EnrollmentOutcome = z.infer<typeof enrollmentOutcomeSchema>;

export const queueItemViewSchema = z.object({
  id: z.number().int(),
  kind: z.enum(['write-mapping', 'remove-mapping']),
  userPrincipalName: z.string(),
  createdAt: z.string(),
  attempts: z.number().int(),
  state: z.enum(['pending', 'in-flight', 'done', 'failed-permanent', 'needs-confirmation', 'dismissed']),
  lastError: z.string().nullable(),
  /** A held step (`needs-confirmation`): the account found for the UPN and why it is not the card holder for sure. */
  hold: z
    .object({
      userId: z.string(),
      userPrincipalName: z.string(),
      displayName: z.string().nullable(),
      confidence: z.enum(['high', 'medium', 'low', 'none']),
      reasons: z.array(z.string()),
      cardHolder: z.string().nullable(),
    })
    .optional(),
});
export type QueueItemView = z.infer<typeof queueItemViewSchema>;
/** A queue item the agent acts on (retry, dismiss). */
export const queueItemRefSchema = z.object({ id: z.number().int().positive() }).strict();
/** The agent confirms a held step for the account shown (its object id, checked against the hold). */
export const queueConfirmSchema = z
  .object({ id: z.number().int().positive(), userId: z.string().min(1).max(200) })
  .strict();
export const queueStateSchema = z.object({
  items: z.array(queueItemViewSchema),
  isOnline: z.boolean(),
});
export type QueueStateView = z.infer<typeof queueStateSchema>;

/** One journal entry as the Rapports page shows it: structured, so every word is translated in the renderer. */
export const journalEntryViewSchema = z.object({
  seq: z.number().int(),
  /** Journal kind (`enrollment.journalKind.<kind>`); a kind unknown to this version is shown as is. */
  kind: z.string(),
  at: z.string(),
  agent: z.string(),
  userPrincipalName: z.string().nullable(),
  cardNumber: z.string().nullable(),
  /** Outcome of a write/removal/replay (`enrollment.journalStatus.<status>`), when the entry has one. */
  status: z.string().nullable(),
  /** Values added and removed (counts), when the entry records them. */
  added: z.number().int().nonnegative(),
  removed: z.number().int().nonnegative(),
  /** The error code (`errors.<code>`) of a failed read, write or replay, or of a refused preview. */
  error: z.object({ code: z.string(), details: z.record(z.string(), z.union([z.string(), z.number()])) }).nullable(),
  /** Codes and counts for tools (CLI, logs); the renderer does not show it. */
  summary: z.string(),
});
export const journalViewSchema = z.object({
  entries: z.array(journalEntryViewSchema),
  verification: z.object({
    isIntact: z.boolean(),
    entries: z.number().int(),
    problems: z.array(z.object({ seq: z.number().int(), kind: z.string() })),
  }),
});
export type JournalView = z.infer<typeof journalViewSchema>;

/** Why a card's values are removed (journaled). */
export const removalReasonSchema = z.enum(['lost', 'stolen', 'replaced', 'other']);
export type RemovalReason = z.infer<typeof removalReasonSchema>;

/** What to remove from whom: a card's values (inserted or loaded certificate) or values picked on the user. */
export const removalTargetSchema = z
  .object({
    source: certificateSourceSchema.optional(),
    /** Values picked on the user (by-user removal); ignored when a card is given. */
    values: z.array(z.string().min(1).max(1024)).max(20).optional(),
    userId: z.string().min(1).max(200),
    userPrincipalName: z.string().min(1).max(256).optional(),
    reason: removalReasonSchema.default('other'),
  })
  .strict()
  .refine((t) => t.source !== undefined || (t.values !== undefined && t.values.length > 0), {
    message: 'a card or at least one value',
  });
export type RemovalTarget = z.input<typeof removalTargetSchema>;

/** The removal preview: what goes, what stays and why, before anything is sent. */
export const removalPlanSchema = z.object({
  userId: z.string(),
  userPrincipalName: z.string(),
  writePath: z.enum(['graph', 'entra-connect']),
  current: z.array(z.string()),
  remove: z.array(z.string()),
  kept: z.array(z.object({ value: z.string(), reason: z.enum(['shared-with-enrolled-card']) })),
  next: z.array(z.string()),
  leavesNoMapping: z.boolean(),
  /** A kept PrincipalName still matches a lost or stolen card until its certificate is revoked. */
  oldCardStillMatches: z.boolean(),
  /** For synced users: the `altSecurityIdentities` values to remove in Active Directory. */
  altSecurityIdentities: z.array(z.string()),
  /** For synced users: the `Set-ADUser … -Remove` line an AD administrator runs (null when nothing to remove). */
  adPowershell: z.string().nullable().optional(),
  requests: z.array(
    z.object({ method: z.enum(['GET', 'PATCH', 'POST', 'DELETE']), url: z.string(), body: z.unknown().optional() }),
  ),
});
export type RemovalPlanView = z.infer<typeof removalPlanSchema>;

/** A user as the removal tools show them. */
export const directoryUserViewSchema = z.object({
  id: z.string(),
  displayName: z.string().nullable(),
  userPrincipalName: z.string(),
  isSynced: z.boolean(),
  certificateUserIds: z.array(z.string()),
});
export type DirectoryUserView = z.infer<typeof directoryUserViewSchema>;
export const directoryUsersOutputSchema = z.object({ users: z.array(directoryUserViewSchema) });
export type DirectoryUsersOutput = z.infer<typeof directoryUsersOutputSchema>;
