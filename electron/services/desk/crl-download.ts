/**
 * Download one CRL over HTTP with a timeout and a size bound (the IGC-Santé CRLs are published over plain HTTP;
 * their signature, checked by the caller, is what makes them trustworthy).
 */
import { AppError } from '../../../shared/errors';

/** The subset of `fetch` the download needs (injected: tests serve CRLs from a local HTTP server). */
export type FetchLike = (url: string, init: { signal: AbortSignal }) => Promise<Response>;

/** Bounds of one download. */
export type DownloadLimits = { timeoutMs: number; maxBytes: number };

const fail = (url: string, reason: string, cause?: unknown) =>
  new AppError('trust.download-failed', { details: { url, reason }, cause });

/**
 * GET `url` and return the body bytes.
 *
 * Throws `trust.download-failed` with `reason` = `timeout`, `http-<status>`, `too-large` or `network`.
 */
export async function downloadCrl(fetchFn: FetchLike, url: string, limits: DownloadLimits): Promise<Uint8Array> {
  const controller = new AbortController();
  // An object, so the catch below reads the flag the timer sets (a captured `let` looks constant to the checker).
  const abort = { timedOut: false };
  const timer = setTimeout(() => {
    abort.timedOut = true;
    controller.abort();
  }, limits.timeoutMs);
  try {
    const response = await fetchFn(url, { signal: controller.signal });
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      throw fail(url, `http-${String(response.status)}`);
    }
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > limits.maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw fail(url, 'too-large');
    }
    if (response.body === null) {
      return new Uint8Array(0);
    }
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    // Bounded by maxBytes: the loop stops as soon as the body grows past it.
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        break;
      }
      total += value.length;
      if (total > limits.maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw fail(url, 'too-large');
      }
      chunks.push(value);
    }
    const out = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  } catch (error) {
    if (error instanceof AppError) {
      throw error;
    }
    throw fail(url, abort.timedOut ? 'timeout' : 'network', error);
  } finally {
    clearTimeout(timer);
  }
}
