import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Name of the HttpOnly cookie that carries the per-launch secret of the shell on `port` after the first visit.
 * Browsers share a host's cookies across all its ports, so one fixed name would let a second shell overwrite the
 * first one's session (and send it to the other); one name per port keeps each shell's own.
 */
export function sessionCookieName(port: number): string {
  return `psc_session_${String(port)}`;
}

/** Constant-time comparison of a presented secret with the launch secret. */
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
