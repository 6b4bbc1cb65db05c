/**
 * Graph's error body: `{ error: { code, message, innerError: { date, request-id, client-request-id } } }`.
 */

/** A handler result: status, JSON body (or none) and headers. */
export type GraphReply = { status: number; body?: unknown; headers?: Record<string, string> };

/** Per-request identifiers echoed in errors and headers. */
export type RequestIds = { readonly requestId: string; readonly clientRequestId: string };

/** Builds a Graph error reply. */
export function graphError(
  status: number,
  code: string,
  message: string,
  ids: RequestIds,
  headers?: Record<string, string>,
): GraphReply {
  return {
    status,
    body: {
      error: {
        code,
        message,
        innerError: {
          date: new Date().toISOString().slice(0, 19),
          'request-id': ids.requestId,
          'client-request-id': ids.clientRequestId,
        },
      },
    },
    ...(headers ? { headers } : {}),
  };
}

/** Thrown inside handlers to answer with a Graph error. */
export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

/** 404 `Request_ResourceNotFound` for an object id. */
export function notFound(id: string): GraphHttpError {
  return new GraphHttpError(
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

/** 400 `Request_BadRequest`. */
export function badRequest(message: string, code = 'Request_BadRequest'): GraphHttpError {
  return new GraphHttpError(400, code, message);
}
