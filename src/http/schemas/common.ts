import { PROBLEM_MEDIA_TYPE } from '../problem.js';

/** RFC 9457 problem details, with autolist's extension members (`code`, `requestId`, and per type). */
export const problemSchema = {
  $id: 'Problem',
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code', 'requestId'],
  properties: {
    type: { type: 'string', description: 'A stable URI per error code; GET it for an explanation.' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string', description: 'The request’s URL (absent when the request could not be parsed).' },
    code: { type: 'string', description: 'The stable error code (NO_SUCH_LIST, ...).' },
    requestId: { type: 'string', description: 'Also in the X-Request-Id response header and the server log.' },
  },
  additionalProperties: true,
} as const;

const DESCRIPTIONS: Record<number, string> = {
  400: 'Bad parameters',
  401: 'A bearer token is required',
  403: 'The admin token is required',
  404: 'No such list, domain or family',
  409: 'The address names a list two ways',
  413: 'The body is larger than AUTOLIST_HTTP_BODY_LIMIT',
  414: 'A path parameter is too long',
  415: 'The body is not JSON',
  422: 'A charter does not compile',
  502: 'The directory refused the search',
  503: 'The directory cannot answer and nothing stale may be served (see Retry-After)',
};

/** A response entry of problems: its schema is the shared Problem. */
interface ProblemResponse {
  description: string;
  content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: 'Problem#' } } };
}

/** Response entries for the problems a route may answer with. */
export function problems<const Status extends number>(...statuses: Status[]): Record<Status, ProblemResponse> {
  const entry = (status: number): ProblemResponse => ({ description: DESCRIPTIONS[status] ?? 'A problem', content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: 'Problem#' } } } });
  return Object.fromEntries(statuses.map((status) => [status, entry(status)])) as Record<Status, ProblemResponse>;
}

/** A list address in the path: any text; the resolver says what is wrong with it. */
export const listAddress = { type: 'string', description: 'A list address, e.g. liste.chefs-56@lists.example.org' } as const;

export const addressParams = {
  type: 'object',
  required: ['address'],
  properties: { address: listAddress },
} as const;

/** Where a list's members are searched for. */
export const directorySchema = {
  type: 'object',
  required: ['base', 'scope', 'memberAttribute', 'alternateAddressAttributes'],
  additionalProperties: false,
  properties: {
    base: { type: 'string' },
    scope: { type: 'string', enum: ['base', 'one', 'sub'] },
    memberAttribute: { type: 'string' },
    alternateAddressAttributes: { type: 'array', items: { type: 'string' } },
  },
} as const;

export const listSchema = {
  $id: 'List',
  type: 'object',
  required: ['address', 'family', 'name', 'domain', 'description', 'subject', 'filter', 'params', 'language', 'rights', 'directory', 'priority', 'cacheTtlSeconds'],
  additionalProperties: false,
  properties: {
    address: { type: 'string', description: 'The list’s one address: the canonical one when the address asked put the words of a repetition in another order.' },
    family: { type: 'string' },
    name: { type: 'string', description: 'The local part: the list’s name in its family.' },
    domain: { type: 'string' },
    description: { type: 'string' },
    subject: { type: 'string', description: 'The subject tag.' },
    filter: { type: 'string', description: 'The LDAP filter of the members (RFC 4515).' },
    params: {
      type: 'object',
      description: 'The text each named part of the grammar matched (a repeated part gives an array).',
      additionalProperties: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    },
    language: { type: 'string', enum: ['en', 'fr'], description: 'The family’s language: that of the rights below, of the reasons of its decisions and of every text its lists send.' },
    rights: {
      type: 'object',
      description: 'Each action’s rules, in words, in the family’s language.',
      required: ['send', 'review', 'subscribe', 'unsubscribe'],
      additionalProperties: false,
      properties: { send: { type: 'string' }, review: { type: 'string' }, subscribe: { type: 'string' }, unsubscribe: { type: 'string' } },
    },
    directory: directorySchema,
    priority: { type: 'integer' },
    cacheTtlSeconds: { type: 'integer' },
  },
} as const;
