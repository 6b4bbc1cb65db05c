/**
 * Messages between the chaos parent (emulators, faults, assertions) and an agent worker (the real enrollment
 * service over a real store).
 */

/** One step an agent performs. */
export type ChaosOp = { id: string; op: 'enroll' | 'renew' | 'remove'; userId: string; derBase64: string };

/** Parent → worker. */
export type ToWorker =
  | {
      type: 'init';
      graphUrl: string;
      caCertPem: string;
      tenantId: string;
      token: string;
      agent: { upn: string; oid: string; tenantId: string };
    }
  | {
      type: 'run';
      runId: number;
      dbPath: string;
      ops: ChaosOp[];
      /** Settle read after each PATCH (the app's guard against another agent's late write to the same user). */
      settleMs: number;
    };

/** Worker → parent. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'done'; runId: number; results: { id: string; status: string }[]; pending: number }
  | { type: 'error'; runId: number; message: string };
