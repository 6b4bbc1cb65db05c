import { AppError } from '../errors';
import { channels, isChannelName } from './channels';
import type { ChannelName, ChannelOutput, ChannelParsedInput } from './channels';
import { contractErrorCodes, errorResult, okResult } from './envelope';
import type { Result } from './envelope';

/** One handler per channel, receiving input that has already passed the channel's schema. */
export type Handlers = { [K in ChannelName]: (input: ChannelParsedInput<K>) => Promise<ChannelOutput<K>> };

/** Reports bugs (non-`AppError` throws) without leaking them to the caller. */
export type BugReporter = (channel: string, error: unknown) => void;

/** Main-side entry point for both hosts: validate, run, wrap. */
export type Dispatch = (channel: unknown, payload: unknown) => Promise<Result<unknown>>;

/**
 * Build the main-side dispatcher.
 *
 * An unknown channel or a payload that fails its schema is refused here and reaches no handler. Handler output is
 * parsed with the output schema too, so a service can never leak fields the contract does not declare.
 */
export function createDispatcher(handlers: Handlers, reportBug: BugReporter): Dispatch {
  return async (channel, payload) => {
    if (!isChannelName(channel)) {
      return errorResult(contractErrorCodes.unknownChannel, 'errors.contract.unknown-channel', {
        channel: typeof channel === 'string' ? channel.slice(0, 100) : typeof channel,
      });
    }
    const parsed = channels[channel].input.safeParse(payload);
    if (!parsed.success) {
      return errorResult(contractErrorCodes.invalidInput, 'errors.contract.invalid-input', {
        channel,
        issues: parsed.error.issues.map((issue) => ({
          path: issue.path.map(String).join('.'),
          message: issue.message,
        })),
      });
    }
    try {
      const handler = handlers[channel] as (input: unknown) => Promise<unknown>;
      const output = await handler(parsed.data);
      const checked = channels[channel].output.safeParse(output);
      if (!checked.success) {
        reportBug(channel, checked.error);
        return errorResult(contractErrorCodes.invalidOutput, 'errors.internal', { channel });
      }
      return okResult(checked.data);
    } catch (error) {
      if (error instanceof AppError) {
        return errorResult(
          error.code,
          error.messageKey,
          error.details === undefined ? undefined : { ...error.details },
        );
      }
      reportBug(channel, error);
      return errorResult(contractErrorCodes.internal, 'errors.internal', { channel });
    }
  };
}
