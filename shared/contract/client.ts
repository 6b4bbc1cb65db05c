import { channels } from './channels';
import type { ChannelInput, ChannelName, ChannelOutput } from './channels';
import { contractErrorCodes, resultSchema } from './envelope';
import type { ContractError } from './envelope';
import { events } from './events';
import type { EventName, EventPayload } from './events';

/** What a host exposes to the renderer: the Electron preload, or the browser-shell WebSocket. Nothing else. */
export type Bridge = {
  invoke(channel: string, payload: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): () => void;
};

/** A failed call, carrying the envelope's error so the UI can translate `messageKey`. */
export class ContractFailure extends Error {
  readonly error: ContractError;

  constructor(error: ContractError) {
    super(error.code);
    this.name = 'ContractFailure';
    this.error = error;
  }
}

/** The envelope error of a failed call; anything else (a bug, a dropped bridge) reads as `internal`. */
export function toContractError(error: unknown): ContractError {
  return error instanceof ContractFailure ? error.error : { code: 'internal', messageKey: 'errors.internal' };
}

/** Typed client over a bridge. */
export type ContractClient = {
  invoke<K extends ChannelName>(channel: K, ...input: InputArgs<K>): Promise<ChannelOutput<K>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

type InputArgs<K extends ChannelName> =
  undefined extends ChannelInput<K> ? [input?: ChannelInput<K>] : [input: ChannelInput<K>];

/**
 * Build the renderer's typed client.
 *
 * Replies and events are parsed with their schemas: a host that sends something off-contract is treated as an error,
 * not trusted.
 */
export function createClient(bridge: Bridge): ContractClient {
  return {
    async invoke(channel, ...input) {
      const raw = await bridge.invoke(channel, input[0]);
      const reply = resultSchema(channels[channel].output).safeParse(raw);
      if (!reply.success) {
        throw new ContractFailure({ code: contractErrorCodes.invalidOutput, messageKey: 'errors.internal' });
      }
      if (!reply.data.ok) {
        throw new ContractFailure(reply.data.error);
      }
      return reply.data.value as never;
    },
    on(event, listener) {
      return bridge.on(event, (payload) => {
        const parsed = events[event].safeParse(payload);
        if (parsed.success) {
          listener(parsed.data as EventPayload<typeof event>);
        }
      });
    },
  };
}
