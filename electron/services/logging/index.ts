import type { Logger } from '../../../shared/logging';

type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Keys whose values never reach a log line, whatever the caller passes. */
const secretKeys = /token|secret|password|authorization|cookie|assertion/i;

/** Replace secret-looking fields before a line is written. */
export function redactFields(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).map(([key, value]) => [key, secretKeys.test(key) ? '[redacted]' : value]),
  );
}

/**
 * Scoped logger writing JSON lines to stderr.
 *
 * stderr, not stdout: the CLI and the bench runner keep stdout for machine-readable output.
 */
export function createLogger(scope: string, minLevel: Level = 'info'): Logger {
  const write = (level: Level, message: string, fields?: Record<string, unknown>) => {
    if (order[level] < order[minLevel]) {
      return;
    }
    const line = { time: new Date().toISOString(), level, scope, message, ...(fields ? redactFields(fields) : {}) };
    process.stderr.write(`${JSON.stringify(line)}\n`);
  };
  return {
    debug: (message, fields) => {
      write('debug', message, fields);
    },
    info: (message, fields) => {
      write('info', message, fields);
    },
    warn: (message, fields) => {
      write('warn', message, fields);
    },
    error: (message, fields) => {
      write('error', message, fields);
    },
  };
}
