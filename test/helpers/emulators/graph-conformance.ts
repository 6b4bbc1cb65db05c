/**
 * The Graph emulator's conformance checker for tests: request bodies and responses (collections, single resources,
 * `$batch` envelopes and items, error bodies) against Graph's v1.0 CSDL and beta property lists in `../shared/graph/`.
 * Enabled by the emulator helpers; their teardown fails the test on any finding (`assertConformant`).
 */
import { z } from 'zod';
import type { ConformanceChecker, ConformanceViolation, GraphExchange } from '../../../emulators/graph/index';
import { checkActionBody, checkAgainstSchema, loadGraphSchema } from './csdl';

const errorBodySchema = z
  .object({
    error: z
      .object({
        code: z.string().min(1),
        message: z.string(),
        innerError: z
          .object({ date: z.string(), 'request-id': z.string(), 'client-request-id': z.string() })
          .strict()
          .optional(),
        details: z.array(z.object({ code: z.string(), message: z.string(), target: z.string().optional() })).optional(),
      })
      .strict(),
  })
  .strict();

const batchRequestSchema = z
  .object({
    requests: z
      .array(
        z
          .object({
            id: z.string().min(1),
            method: z.enum(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']),
            url: z.string().startsWith('/'),
            headers: z.record(z.string(), z.string()).optional(),
            body: z.unknown().optional(),
            dependsOn: z.array(z.string()).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(20),
  })
  .strict();

const batchResponseSchema = z
  .object({
    responses: z.array(
      z
        .object({
          id: z.string(),
          status: z.number().int(),
          headers: z.record(z.string(), z.string()).optional(),
          body: z.unknown().optional(),
        })
        .strict(),
    ),
  })
  .strict();

const refBodySchema = z.object({ '@odata.id': z.string().startsWith('https://') }).strict();

const zodProblems = (label: string, result: z.ZodSafeParseResult<unknown>): string[] =>
  result.success ? [] : result.error.issues.map((i) => `${label} ${i.path.join('.') || '$'}: ${i.message}`);

function checkExchange(e: GraphExchange): string[] {
  const schema = loadGraphSchema();
  const beta = e.version === 'beta';
  const out: string[] = [];
  const typed = (label: string, value: unknown) => {
    if (e.entity === undefined) {
      out.push(`${label}: no Graph type known for this route`);
      return;
    }
    for (const v of checkAgainstSchema(schema, e.entity, value, { beta })) {
      out.push(`${label} ${v.path}: ${v.problem}`);
    }
  };
  if (e.isBatchEnvelope) {
    out.push(...zodProblems('batch request', batchRequestSchema.safeParse(e.requestBody)));
    if (e.status === 200) {
      out.push(...zodProblems('batch response', batchResponseSchema.safeParse(e.responseBody)));
    } else {
      out.push(...zodProblems('batch error', errorBodySchema.safeParse(e.responseBody)));
    }
    return out;
  }
  if (e.requestBody !== undefined && ['POST', 'PATCH', 'PUT'].includes(e.method)) {
    if (e.path.endsWith('/$ref')) {
      out.push(...zodProblems('request $ref', refBodySchema.safeParse(e.requestBody)));
    } else if (e.action !== undefined) {
      for (const v of checkActionBody(schema, e.action, e.requestBody)) {
        out.push(`request (${e.action.name}) ${v.path}: ${v.problem}`);
      }
    } else {
      typed('request', e.requestBody);
    }
  }
  if (e.responseBody === undefined) {
    return out;
  }
  if (e.status >= 400) {
    out.push(...zodProblems('error body', errorBodySchema.safeParse(e.responseBody)));
    return out;
  }
  const body = e.responseBody as Record<string, unknown>;
  if (Array.isArray(body.value)) {
    for (const key of Object.keys(body)) {
      if (key !== 'value' && !key.startsWith('@odata.')) {
        out.push(`collection: unexpected top-level property ${key}`);
      }
    }
    body.value.forEach((item: unknown, i) => {
      typed(`value[${i}]`, item);
    });
    if (/(^|&)\$count=true(&|$)/i.test(e.query) && typeof body['@odata.count'] !== 'number') {
      out.push('collection: $count=true asked but no @odata.count');
    }
  } else {
    typed('response', body);
  }
  return out;
}

/** The checker to pass as the Graph emulator's `conformance` option. */
export function createGraphConformanceChecker(): ConformanceChecker {
  return checkExchange;
}

/** Throws (fails the test) when the emulator recorded conformance findings. */
export function assertConformant(violations: readonly ConformanceViolation[]): void {
  if (violations.length === 0) {
    return;
  }
  const lines = violations.slice(0, 20).map((v) => `${v.method} /${v.version}${v.path}: ${v.problem}`);
  throw new Error(
    `Graph schema conformance: ${violations.length} finding(s)\n${lines.join('\n')}${violations.length > 20 ? '\n…' : ''}`,
  );
}
