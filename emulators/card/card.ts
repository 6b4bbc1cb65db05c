/**
 * The virtual CPx card: ATR, power and reset handling, APDU dispatch per logical channel, and an audit trail so
 * tests can prove the host never sent VERIFY nor asked for a reset.
 */
import { SW, parseCommand, response } from './apdu';
import type { CardBehaviour, SessionState } from './commands';
import { freshSession, getResponse, manageChannel, readBinary, select } from './commands';
import type { DedicatedFile } from './filesystem';
import { toHex } from './der';

/** Everything needed to build a card. */
export type CardSpec = {
  readonly profile: string;
  readonly atr: Uint8Array;
  readonly behaviour: CardBehaviour;
  readonly root: DedicatedFile;
  /** Delay before each answer (profile `slow`). */
  readonly delayMs?: number;
  /** Card pulled out of the reader when this many APDUs have been answered (profile `pulled-mid-read`); fires once. */
  readonly pullAfterApdus?: number;
};

/** What the card saw: counts and the forbidden commands it received. */
export type CardAudit = {
  readonly apdus: number;
  readonly verifyCommands: number;
  readonly pinCommands: number;
  readonly resets: number;
  readonly powerUps: number;
  readonly forbidden: readonly string[];
  readonly commands: readonly string[];
};

/** Thrown by `transmit` when the card leaves the reader mid-command. */
export class CardPulledError extends Error {
  constructor() {
    super('virtual card pulled out of the reader');
    this.name = 'CardPulledError';
  }
}

/** Bound on the command log kept for assertions (the counters stay exact). */
const MAX_LOGGED_COMMANDS = 2000;

/** A virtual card. One instance models one physical card; it may be inserted and removed many times. */
export class VirtualCard {
  readonly profile: string;
  readonly atr: Uint8Array;
  private readonly spec: CardSpec;
  private session: SessionState;
  private pullArmed: boolean;
  private readonly removalListeners = new Set<() => void>();
  private readonly counters = { apdus: 0, verifyCommands: 0, pinCommands: 0, resets: 0, powerUps: 0 };
  private readonly forbidden: string[] = [];
  private readonly commands: string[] = [];

  constructor(spec: CardSpec) {
    this.spec = spec;
    this.profile = spec.profile;
    this.atr = spec.atr;
    this.session = freshSession(spec.root, spec.behaviour);
    this.pullArmed = spec.pullAfterApdus !== undefined;
  }

  /** Power-up (vpcd 0x01): volatile state back to the MF. */
  powerOn(): void {
    this.counters.powerUps += 1;
    this.session = freshSession(this.spec.root, this.spec.behaviour);
  }

  /** Power-down (vpcd 0x00). */
  powerOff(): void {
    this.session = freshSession(this.spec.root, this.spec.behaviour);
  }

  /** Warm reset (vpcd 0x02): recorded, since a reset wipes the PIN state other software relies on. */
  reset(): void {
    this.counters.resets += 1;
    this.forbidden.push('RESET');
    this.session = freshSession(this.spec.root, this.spec.behaviour);
  }

  /** Subscribes to the card pulling itself out (profile `pulled-mid-read`); returns the unsubscribe function. */
  onPulled(listener: () => void): () => void {
    this.removalListeners.add(listener);
    return () => this.removalListeners.delete(listener);
  }

  /** Re-arms the one-shot pull (tests that pull the same card twice). */
  armPull(): void {
    this.pullArmed = this.spec.pullAfterApdus !== undefined;
  }

  /** Exchanges one APDU, honouring the profile's delay and pull-out. */
  async transmit(command: Uint8Array): Promise<Uint8Array> {
    if (this.pullArmed && this.counters.apdus >= (this.spec.pullAfterApdus ?? 0)) {
      this.pullArmed = false;
      for (const listener of [...this.removalListeners]) {
        listener();
      }
      throw new CardPulledError();
    }
    const delay = this.spec.delayMs ?? 0;
    if (delay > 0) {
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
    return this.respond(command);
  }

  /** Synchronous core: one command APDU in, one response APDU out. */
  respond(bytes: Uint8Array): Uint8Array {
    this.counters.apdus += 1;
    if (this.commands.length < MAX_LOGGED_COMMANDS) {
      this.commands.push(toHex(bytes));
    }
    const command = parseCommand(bytes);
    if (!command) {
      return response(SW.wrongLength);
    }
    if ((command.cla & 0xfc) !== 0x00) {
      return response(SW.claNotSupported);
    }
    const channel = command.cla & 0x03;
    const chan = this.session.channels.get(channel);
    if (!chan) {
      return response(SW.channelNotSupported);
    }
    if (command.ins !== 0xc0) {
      this.session.pending = undefined;
    }
    switch (command.ins) {
      case 0xa4:
        return select(this.session, channel, chan, command);
      case 0xb0:
        return readBinary(this.session, channel, chan, command);
      case 0xc0:
        return getResponse(this.session, command);
      case 0x70:
        return manageChannel(this.session, command);
      case 0x20:
        this.counters.verifyCommands += 1;
        this.forbidden.push(`VERIFY ${toHex(bytes.slice(0, 4))}`);
        return response(SW.verifyFailed);
      case 0x24:
      case 0x2c:
        this.counters.pinCommands += 1;
        this.forbidden.push(`PIN ${toHex(bytes.slice(0, 4))}`);
        return response(SW.securityNotSatisfied);
      case 0xb2:
        return response(SW.incompatibleFileStructure);
      default:
        return response(SW.insNotSupported);
    }
  }

  /** A snapshot of what the card received. */
  audit(): CardAudit {
    return { ...this.counters, forbidden: [...this.forbidden], commands: [...this.commands] };
  }
}
