import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A fresh 256-bit random token, URL- and cookie-safe. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What presenting a launch token gave. */
export type Redemption = 'accepted' | 'already-used' | 'unknown';

/** Single-use launch tokens: each opens one session, then is worthless (it was shown on a command line or stdout). */
export type LaunchTokens = {
  /** Mint a fresh unused token. */
  mint(): string;
  /** Consume `presented` if it is an unused token; tell an already-used token from an unknown one. */
  redeem(presented: string): Redemption;
};

/** Unused tokens kept at most (the oldest is dropped): only tests and a reopened window mint more than one. */
const maxUnusedTokens = 16;
/** Used tokens remembered (as hashes), only to say "already used" rather than "invalid". */
const maxRememberedUsed = 64;

/** Single-use launch tokens; `first` (tests) is the first unused one, else a random one is minted on demand. */
export function createLaunchTokens(first?: string): LaunchTokens {
  const unused: string[] = first === undefined ? [] : [first];
  const usedHashes: string[] = [];
  const hash = (token: string) => createHash('sha256').update(token).digest('base64url');
  return {
    mint() {
      const token = randomToken();
      unused.push(token);
      if (unused.length > maxUnusedTokens) {
        unused.shift();
      }
      return token;
    },
    redeem(presented) {
      // Compare with every unused token in constant time each; no early exit on the first match.
      let index = -1;
      unused.forEach((token, candidate) => {
        if (secretMatches(presented, token)) {
          index = candidate;
        }
      });
      if (index >= 0) {
        const [token] = unused.splice(index, 1);
        usedHashes.push(hash(token ?? presented));
        if (usedHashes.length > maxRememberedUsed) {
          usedHashes.shift();
        }
        return 'accepted';
      }
      return usedHashes.includes(hash(presented)) ? 'already-used' : 'unknown';
    },
  };
}

/**
 * Name of the HttpOnly cookie that carries the session token of the shell on `port` after the first visit.
 * Browsers share a host's cookies across all its ports, so one fixed name would let a second shell overwrite the
 * first one's session (and send it to the other); one name per port keeps each shell's own.
 */
export function sessionCookieName(port: number): string {
  return `psc_session_${String(port)}`;
}

/** Constant-time comparison of a presented token with the expected one. */
export function secretMatches(presented: string | undefined, secret: string): boolean {
  if (presented === undefined) {
    return false;
  }
  const a = Buffer.from(presented);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The value of the session cookie of the shell on `port`, if the request carries one. */
export function readSessionCookie(request: IncomingMessage, port: number): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined) {
    return undefined;
  }
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === sessionCookieName(port)) {
      return rest.join('=');
    }
  }
  return undefined;
}

/**
 * DNS-rebinding guard: the Host header must name exactly our loopback address and port.
 */
export function hostIsAllowed(request: IncomingMessage, port: number): boolean {
  return request.headers.host === `127.0.0.1:${port}`;
}

/**
 * Cross-site guard for the WebSocket: browsers always send Origin on a WebSocket handshake, and only our own page
 * may connect.
 */
export function originIsAllowed(request: IncomingMessage, origin: string): boolean {
  return request.headers.origin === origin;
}
