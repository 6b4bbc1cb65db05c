/**
 * Typed application errors.
 *
 * Services throw `AppError` for expected failures (a removed card, a throttled request); the contract turns them into
 * the `{ ok: false, error }` envelope. Anything else is a bug and crosses the boundary only as `internal`.
 */
export class AppError extends Error {
  readonly code: string;
  readonly messageKey: string;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: string, options: { messageKey?: string; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(code, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.messageKey = options.messageKey ?? `errors.${code}`;
    this.details = options.details;
  }
}

/** Exhaustiveness guard for switches over closed unions. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${String(value)}`);
}

/** Invariant check that narrows types; a failure is a bug, not a user error. */
export function strictAssert(condition: unknown, message: string): asserts condition {
  if (!condition) {
    throw new Error(`Assertion failed: ${message}`);
  }
}
