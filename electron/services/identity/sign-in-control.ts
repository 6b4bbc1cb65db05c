/**
 * Bounds every sign-in: a timeout, and cancellation on request. An interactive sign-in is stopped by handing MSAL's
 * loopback listener an `access_denied` answer for its own `state` (MSAL then closes the listener); a device-code
 * sign-in by MSAL's `cancel` flag, read at every poll. The caller is released at once either way.
 */
import { AppError } from '../../../shared/errors';

/** One sign-in in flight. */
export type SignInAttempt = {
  /** Wraps the host's `openBrowser` to learn the loopback redirect and `state` of this attempt. */
  readonly openBrowser: (url: string) => Promise<void>;
  /** Passed into MSAL's device-code request: MSAL mutates and reads this very object. */
  readonly deviceRequest: { cancel: boolean; timeout?: number };
  /** Runs the MSAL call; rejects with `identity.cancelled` or `identity.timeout` when stopped. */
  run<T>(work: Promise<T>): Promise<T>;
};

/** Starts and stops sign-in attempts. */
export type SignInControl = {
  begin(): SignInAttempt;
  /** Cancels every sign-in in flight; returns how many were cancelled. */
  cancelAll(): number;
};

/** Dependencies: the host's browser opener, the bound, and how to post the cancel answer to the loopback listener. */
export type SignInControlDeps = {
  readonly openBrowser: (url: string) => Promise<void>;
  readonly timeoutMs: number;
  readonly postForm?: (url: string, form: URLSearchParams) => Promise<void>;
};

const defaultPostForm = async (url: string, form: URLSearchParams): Promise<void> => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    signal: AbortSignal.timeout(5000),
  });
  await res.arrayBuffer();
};

/** Loopback redirect (always `127.0.0.1`, where MSAL listens) and `state` of an authorize URL, if it has them. */
export function loopbackOf(authorizeUrl: string): { redirect: string; state: string } | undefined {
  try {
    const u = new URL(authorizeUrl);
    const redirect = new URL(u.searchParams.get('redirect_uri') ?? '');
    const state = u.searchParams.get('state');
    if (redirect.protocol !== 'http:' || !['localhost', '127.0.0.1'].includes(redirect.hostname) || !state) {
      return undefined;
    }
    return { redirect: `http://127.0.0.1:${redirect.port}/`, state };
  } catch {
    return undefined;
  }
}

/** Creates the control. */
export function createSignInControl(deps: SignInControlDeps): SignInControl {
  const inFlight = new Set<(reason: 'cancelled' | 'timeout') => void>();
  const postForm = deps.postForm ?? defaultPostForm;
  return {
    begin() {
      let loopback: { redirect: string; state: string } | undefined;
      const deviceRequest: { cancel: boolean; timeout?: number } = {
        cancel: false,
        timeout: Math.max(1, Math.ceil(deps.timeoutMs / 1000)),
      };
      return {
        openBrowser: (url) => {
          loopback = loopbackOf(url);
          return deps.openBrowser(url);
        },
        deviceRequest,
        async run<T>(work: Promise<T>): Promise<T> {
          // The losing side of the race must not become an unhandled rejection.
          work.catch(() => undefined);
          let stop: (reason: 'cancelled' | 'timeout') => void = () => undefined;
          const stopped = new Promise<never>((_resolve, reject) => {
            stop = (reason) => {
              deviceRequest.cancel = true;
              if (loopback) {
                const form = new URLSearchParams({
                  error: 'access_denied',
                  error_description: `sign-in ${reason}`,
                  state: loopback.state,
                });
                // Best effort: the listener may already be gone.
                void postForm(loopback.redirect, form).catch(() => undefined);
              }
              reject(
                new AppError(reason === 'timeout' ? 'identity.timeout' : 'identity.cancelled', {
                  details: reason === 'timeout' ? { timeoutSeconds: Math.round(deps.timeoutMs / 1000) } : {},
                }),
              );
            };
          });
          inFlight.add(stop);
          const timer = setTimeout(() => {
            stop('timeout');
          }, deps.timeoutMs);
          timer.unref();
          try {
            return await Promise.race([work, stopped]);
          } finally {
            clearTimeout(timer);
            inFlight.delete(stop);
          }
        },
      };
    },
    cancelAll() {
      const all = [...inFlight];
      for (const stop of all) {
        stop('cancelled');
      }
      return all.length;
    },
  };
}
