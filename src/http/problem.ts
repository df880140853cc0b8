import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import { AutolistError } from '../errors.js';
import { problemType, typeUri, type ProblemType } from './problem-types.js';
import { REQUEST_ID_HEADER } from './request-id.js';
import type { problemSchema } from './schemas/common.js';

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

declare module 'fastify' {
  interface FastifyRequest {
    /** The code of the problem answered, for the request's log line. */
    problemCode: string | null;
  }
}

/** Seconds a client should wait before asking again after a temporary failure. */
export const RETRY_AFTER_SECONDS = 30;

/** An RFC 9457 problem details object, with autolist's extension members. */
export type Problem = FromSchema<typeof problemSchema>;

/** Fastify's own client errors, by code, mapped to the API's problem types. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_BAD_URL: 'BAD_REQUEST',
  FST_ERR_MAX_PARAM_LENGTH: 'URI_TOO_LONG',
};

/** What a problem is about: the request's URL and id. */
interface Subject {
  url?: string;
  id: string;
}

/** What an error becomes on the wire; `internal` says its details were hidden (log them). */
export function problemOf(error: unknown, request: Subject): { problem: Problem; internal: boolean } {
  const code = error instanceof AutolistError ? knownCode(error) : fastifyCode(error as Partial<FastifyError>);
  if (code === 'INTERNAL') return { problem: build(problemType(code), 'internal error; see the server log under this request id', request), internal: true };
  const type = problemType(code);
  if (error instanceof AutolistError) {
    const { code: _code, message: _message, temporary: _temporary, ...extensions } = error.toJSON();
    return { problem: build(type, error.message, request, { ...extensions, code: error.code }), internal: false };
  }
  const fastify = error as Partial<FastifyError>;
  const extensions = fastify.validation
    ? { errors: fastify.validation.map((v) => ({ in: fastify.validationContext ?? 'request', path: v.instancePath || '/', message: v.message ?? 'is not valid' })) }
    : {};
  return { problem: build(type, fastify.message ?? type.title, request, extensions), internal: false };
}

/** A fastify error's problem code: a validation failure or a known client error; anything else is internal. */
function fastifyCode(error: Partial<FastifyError>): string {
  if (error.validation) return 'BAD_REQUEST';
  const mapped = error.code === undefined ? undefined : FASTIFY_CODES[error.code];
  if (mapped) return mapped;
  return error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? 'BAD_REQUEST' : 'INTERNAL';
}

/** Sends a problem with its media type; temporary problems (503, 429) say when to try again. */
export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  reply.request.problemCode = problem.code;
  // Errors of the router (a bad URL) are answered before the onRequest hooks that set this header.
  reply.header(REQUEST_ID_HEADER, problem.requestId);
  if (problem.status === 503) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  // A rate limit knows when its window ends.
  if (problem.status === 429 && typeof problem.retryAfter === 'number') reply.header('retry-after', String(problem.retryAfter));
  if (problem.status === 401) reply.header('www-authenticate', 'Bearer realm="autolist"');
  return reply.code(problem.status).type(PROBLEM_MEDIA_TYPE).serializer(JSON.stringify).send(problem);
}

/**
 * Answers a request that Node's HTTP parser refused before fastify saw it (headers over
 * HTTP_HEADER_LIMIT, a malformed request line, a client too slow to send its request) with a
 * problem, then closes the connection.
 */
export function sendClientErrorProblem(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const code = error.code === 'HPE_HEADER_OVERFLOW' ? 'HEADERS_TOO_LARGE' : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'REQUEST_TIMEOUT' : 'BAD_REQUEST';
  const type = problemType(code);
  const id = randomUUID();
  const body = JSON.stringify(build(type, type.title, { id }));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${type.status} ${STATUS_CODES[type.status]}\r\nContent-Type: ${PROBLEM_MEDIA_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${REQUEST_ID_HEADER}: ${id}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/**
 * The code whose problem type applies: the error's own when the API knows it; otherwise a
 * temporary error is a dependency that cannot answer now (503, try again), and a permanent one
 * the API does not know is a fault of the server (500).
 */
function knownCode(error: AutolistError): string {
  if (problemType(error.code).code === error.code) return error.code;
  return error.temporary ? 'DIRECTORY_UNAVAILABLE' : 'INTERNAL';
}

function build(type: ProblemType, detail: string, subject: Subject, extensions: Record<string, unknown> = {}): Problem {
  return {
    code: type.code,
    ...extensions,
    type: typeUri(type),
    title: type.title,
    status: type.status,
    detail: shortened(detail),
    ...(subject.url === undefined ? {} : { instance: shortened(subject.url) }),
    requestId: subject.id,
  };
}

/** Echoed input is capped: a problem stays small whatever was sent. */
function shortened(text: string): string {
  return text.length > 512 ? `${text.slice(0, 512)}…` : text;
}
