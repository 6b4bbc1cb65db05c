/**
 * The command set of the virtual CPx card: SELECT, READ BINARY, GET RESPONSE, MANAGE CHANNEL, plus the refusals
 * (VERIFY and PIN management are recorded as forbidden). Pure functions over a mutable card session state.
 */
import type { CommandApdu } from './apdu';
import { SW, response } from './apdu';
import type { CardNode, DedicatedFile, ElementaryFile } from './filesystem';
import { MF_FID, fcp, findByAid, sameBytes, splitPath, walk } from './filesystem';
import { concatBytes, tlv } from './der';

/** How the card behaves on the wire. */
export type CardBehaviour = {
  /** T=0 (CPS3): case-4 answers come as 61xx + GET RESPONSE, a wrong Le gets 6Cxx. T=1 (CPS4): data inline. */
  readonly protocol: 'T0' | 'T1';
  /** Highest logical channel MANAGE CHANNEL may open (0 = no logical channels). */
  readonly maxChannel: number;
  /** CPS4: the PKI applet, selectable only on a logical channel, answering 6985 `reselectFailures` times. */
  readonly pkiApplet?: { readonly aid: Uint8Array; readonly reselectFailures: number };
  /**
   * CPS4: the N-th READ BINARY on a logical channel (1-based, counted from power-up) answers 6985 and drops the
   * applet selection and the current file, as the real card does when its PKI applet loses its context mid-read.
   */
  readonly readBinaryConditionsAt?: number;
};

/** State of one logical channel. */
export type ChannelState = {
  dfChain: DedicatedFile[];
  currentEf: ElementaryFile | undefined;
  appletSelected: boolean;
};

/** The card's volatile state between power-ups. */
export type SessionState = {
  readonly root: DedicatedFile;
  readonly behaviour: CardBehaviour;
  channels: Map<number, ChannelState>;
  pending: Uint8Array | undefined;
  reselectFailuresLeft: number;
  /** READ BINARY commands seen on logical channels since power-up (for `readBinaryConditionsAt`). */
  channelReads: number;
};

/** A fresh session (after power-up or reset): basic channel on the MF. */
export function freshSession(root: DedicatedFile, behaviour: CardBehaviour): SessionState {
  return {
    root,
    behaviour,
    channels: new Map([[0, { dfChain: [root], currentEf: undefined, appletSelected: false }]]),
    pending: undefined,
    reselectFailuresLeft: behaviour.pkiApplet?.reselectFailures ?? 0,
    channelReads: 0,
  };
}

/** Answers data for a command; under T=0 a command that carried data gets 61xx and waits for GET RESPONSE. */
function answer(state: SessionState, command: CommandApdu, data: Uint8Array, sw: number = SW.ok): Uint8Array {
  if (data.length === 0) {
    return response(sw);
  }
  if (state.behaviour.protocol === 'T0' && command.data.length > 0) {
    state.pending = data;
    return response(0x6100 | (data.length & 0xff));
  }
  const limited = command.le !== undefined && command.le < data.length ? data.slice(0, command.le) : data;
  return response(sw, limited);
}

/** GET RESPONSE (INS C0): hands out the pending answer, 6Cxx when Le does not fit (T=0). */
export function getResponse(state: SessionState, command: CommandApdu): Uint8Array {
  const pending = state.pending;
  if (!pending || command.le === undefined) {
    state.pending = undefined;
    return response(pending ? SW.wrongLength : SW.conditionsNotSatisfied);
  }
  if (command.le > pending.length) {
    return response(0x6c00 | (pending.length & 0xff));
  }
  if (command.le < pending.length) {
    state.pending = pending.slice(command.le);
    return response(0x6100 | (state.pending.length & 0xff), pending.slice(0, command.le));
  }
  state.pending = undefined;
  return response(SW.ok, pending);
}

/** MANAGE CHANNEL (INS 70): open (P1=00) assigns the lowest free channel; close (P1=80) frees P2. */
export function manageChannel(state: SessionState, command: CommandApdu): Uint8Array {
  const max = state.behaviour.maxChannel;
  if (max === 0) {
    return response(SW.channelNotSupported);
  }
  if (command.p1 === 0x00 && command.p2 === 0x00) {
    for (let channel = 1; channel <= max; channel += 1) {
      if (!state.channels.has(channel)) {
        state.channels.set(channel, { dfChain: [state.root], currentEf: undefined, appletSelected: false });
        return answer(state, { ...command, data: new Uint8Array(0) }, Uint8Array.of(channel));
      }
    }
    return response(SW.channelNotSupported);
  }
  if (command.p1 === 0x80 && command.p2 >= 1 && command.p2 <= max) {
    state.channels.delete(command.p2);
    return response(SW.ok);
  }
  return response(SW.incorrectP1P2);
}

/** CPS4: the first file command after the applet selection answers 6985 and drops the selection. */
function appletGate(state: SessionState, channel: number, chan: ChannelState): Uint8Array | undefined {
  if (!state.behaviour.pkiApplet || channel === 0) {
    return undefined;
  }
  if (!chan.appletSelected) {
    return response(SW.conditionsNotSatisfied);
  }
  if (state.reselectFailuresLeft > 0) {
    state.reselectFailuresLeft -= 1;
    chan.appletSelected = false;
    return response(SW.conditionsNotSatisfied);
  }
  return undefined;
}

/** SELECT (INS A4) by FID, path (P1=08/09, `3F00…` accepted as absolute under 09) or DF name (P1=04). */
export function select(state: SessionState, channel: number, chan: ChannelState, command: CommandApdu): Uint8Array {
  const { p1, p2, data } = command;
  const applet = state.behaviour.pkiApplet;
  if (p1 === 0x04) {
    if (![0x00, 0x04, 0x0c].includes(p2)) {
      return response(SW.incorrectP1P2);
    }
    if (applet && sameBytes(data, applet.aid)) {
      if (channel === 0) {
        return response(SW.fileNotFound);
      }
      const found = findByAid(state.root, applet.aid);
      if (found?.node.kind !== 'df') {
        return response(SW.fileNotFound);
      }
      chan.appletSelected = true;
      return enter(state, chan, command, found.node, [...found.parents]);
    }
    const found = findByAid(state.root, data);
    if (found?.node.kind !== 'df' || (found.node.applet === true && channel === 0)) {
      return response(SW.fileNotFound);
    }
    return enter(state, chan, command, found.node, [...found.parents]);
  }
  if (p2 !== 0x04 && p2 !== 0x0c) {
    return response(SW.incorrectP1P2);
  }
  const gate = appletGate(state, channel, chan);
  if (gate) {
    return gate;
  }
  const allowApplets = channel !== 0 || !applet;
  const current = chan.dfChain[chan.dfChain.length - 1] ?? state.root;
  const parents = chan.dfChain.slice(0, -1);
  let located: { node: CardNode; parents: readonly DedicatedFile[] } | undefined;
  if (p1 === 0x00 || p1 === 0x01 || p1 === 0x02) {
    const fids = data.length === 0 ? [MF_FID] : splitPath(data);
    if (fids?.length !== 1) {
      return response(SW.lcInconsistent);
    }
    const fid = fids[0] ?? 0;
    if (fid === MF_FID) {
      located = { node: state.root, parents: [] };
    } else if (fid === current.fid && p1 === 0x00) {
      located = { node: current, parents };
    } else {
      located = walk(current, parents, [fid], allowApplets);
      if (located && ((p1 === 0x01 && located.node.kind !== 'df') || (p1 === 0x02 && located.node.kind !== 'ef'))) {
        located = undefined;
      }
    }
  } else if (p1 === 0x08 || p1 === 0x09) {
    const fids = splitPath(data);
    if (!fids) {
      return response(SW.lcInconsistent);
    }
    const absolute = p1 === 0x08 || fids[0] === MF_FID;
    const rest = p1 === 0x09 && fids[0] === MF_FID ? fids.slice(1) : fids;
    located =
      rest.length === 0
        ? { node: state.root, parents: [] }
        : absolute
          ? walk(state.root, [], rest, allowApplets)
          : walk(current, parents, rest, allowApplets);
  } else {
    return response(SW.incorrectP1P2);
  }
  if (!located) {
    return response(SW.fileNotFound);
  }
  return enter(state, chan, command, located.node, [...located.parents]);
}

/** Makes `node` current on the channel and answers FCP (P2=04), FCI (P2=00, by name) or nothing (P2=0C). */
function enter(
  state: SessionState,
  chan: ChannelState,
  command: CommandApdu,
  node: CardNode,
  parents: DedicatedFile[],
): Uint8Array {
  if (node.kind === 'df') {
    chan.dfChain = [...parents, node];
    chan.currentEf = undefined;
  } else {
    chan.dfChain = parents;
    chan.currentEf = node;
  }
  if (command.p2 === 0x0c) {
    return response(SW.ok);
  }
  const body =
    command.p2 === 0x00 ? tlv(0x6f, node.kind === 'df' && node.aid ? tlv(0x84, node.aid) : fcp(node)) : fcp(node);
  return answer(state, command, concatBytes(body));
}

/** READ BINARY (INS B0): offset in P1-P2, 6282 with what remains past the end, 6B00 beyond it. */
export function readBinary(state: SessionState, channel: number, chan: ChannelState, command: CommandApdu): Uint8Array {
  const gate = appletGate(state, channel, chan);
  if (gate) {
    return gate;
  }
  if (channel !== 0 && state.behaviour.pkiApplet) {
    state.channelReads += 1;
    if (state.channelReads === state.behaviour.readBinaryConditionsAt) {
      // The applet context is lost: the host has to reselect the applet, then the file, before reading on.
      chan.appletSelected = false;
      chan.currentEf = undefined;
      chan.dfChain = [state.root];
      return response(SW.conditionsNotSatisfied);
    }
  }
  if (command.data.length > 0 || command.le === undefined) {
    return response(SW.wrongLength);
  }
  if (command.p1 & 0x80) {
    // Short EF identifiers are not offered by this card.
    return response(SW.functionNotSupported);
  }
  const file = chan.currentEf;
  if (!file) {
    return response(SW.noCurrentEf);
  }
  if (!file.readable) {
    return response(SW.securityNotSatisfied);
  }
  const offset = (command.p1 << 8) | command.p2;
  if (offset >= file.content.length) {
    return response(SW.wrongP1P2);
  }
  const available = file.content.length - offset;
  if (state.behaviour.protocol === 'T0' && command.leByte === 0 && available < 256) {
    return response(0x6c00 | available);
  }
  if (command.le > available) {
    return response(SW.endOfFile, file.content.slice(offset));
  }
  return response(SW.ok, file.content.slice(offset, offset + command.le));
}
