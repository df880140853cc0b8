import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { normaliseSender } from '../../address/sender-address.js';
import { listParts } from '../../charter/list-parts.js';
import { matchesEntry } from '../../directory/index.js';
import { pagerOf, type MemberSet } from '../../membership/index.js';
import { explainMember } from '../../membership/member-explanation.js';
import type { Services } from '../../services.js';
import { overrideReason } from '../../subscriptions/index.js';
import { negotiate } from '../accept.js';
import { HttpError } from '../errors.js';
import { addressParams, problems } from '../schemas/common.js';
import { memberParams, membersCountSchema, membersPageSchema, membersQuery, membershipSchema } from '../schemas/members.js';
import type { SchemaRoutes } from '../type-provider.js';

const FORMATS = ['application/json', 'application/x-ndjson', 'text/plain'] as const;
/** Addresses written to the socket at a time when streaming. */
const CHUNK = 1000;

/** GET /v1/lists/{address}/members (pages, count, streams) and /members/{mail} (is X a member, and why). */
export const memberRoutes: SchemaRoutes<Pick<Services, 'catalog' | 'membership' | 'subscriptions'>> = async (app, { catalog, membership, subscriptions }) => {
  app.get(
    '/lists/:address/members',
    {
      config: { access: 'read' },
      schema: {
        summary: 'The members of a list',
        description:
          'A counted page (`limit`, `cursor`), the count alone (`?count`), or the whole list streamed: `Accept: application/x-ndjson` (one JSON object a line) or `text/plain` (one address a line). Every form says whether it came from the cache, its age and whether it is stale (headers Age, X-Autolist-From-Cache, X-Autolist-Stale, X-Autolist-Fetched-At).',
        tags: ['members'],
        params: addressParams,
        querystring: membersQuery,
        response: {
          200: {
            description: 'A page or the count (JSON), or the whole list streamed',
            content: {
              'application/json': { schema: { anyOf: [membersPageSchema, membersCountSchema] } },
              'application/x-ndjson': { schema: { type: 'string', description: '{"address":"..."} one a line' } },
              'text/plain': { schema: { type: 'string', description: 'one address a line' } },
            },
          },
          ...problems(400, 404, 409, 502, 503),
        },
      },
    },
    async (request, reply) => {
      const list = catalog.resolver.resolve(request.params.address);
      const { cursor, limit, count } = request.query;
      // A bad page request is refused before the directory is asked.
      const pager = pagerOf(list, cursor === undefined ? { limit } : { cursor, limit });
      const set = await subscriptions.members(list);
      freshnessHeaders(reply, set);
      const freshness = { fromCache: set.fromCache, stale: set.stale, ageSeconds: set.ageSeconds, fetchedAt: set.fetchedAt.toISOString() };
      if (count !== undefined && count !== 'false' && count !== '0') {
        return { address: list.address, count: set.members.length, entries: set.entries, unreachable: set.unreachable, ...freshness };
      }
      const format = negotiate(request.headers.accept, FORMATS);
      if (format === 'application/json') {
        return { address: list.address, ...pager(set.members), entries: set.entries, unreachable: set.unreachable, ...freshness };
      }
      const line = format === 'text/plain' ? (a: string) => `${a}\n` : (a: string) => `{"address":${JSON.stringify(a)}}\n`;
      return stream(reply, format === 'text/plain' ? 'text/plain; charset=utf-8' : format, chunks(set.members, line));
    },
  );

  app.get(
    '/lists/:address/members/:mail',
    {
      config: { access: 'read' },
      schema: {
        summary: 'Is this person a member, and why',
        description:
          'The membership answer, the person’s directory entry (the attributes the list uses), each part of the list’s filter, in the charter’s words, with whether the entry satisfies it, and the person’s exclusion (they unsubscribed) or addition (they subscribed), which the answer accounts for.',
        tags: ['members'],
        params: memberParams,
        response: { 200: membershipSchema, ...problems(400, 404, 409, 502, 503) },
      },
    },
    async (request) => {
      const list = catalog.resolver.resolve(request.params.address);
      const address = normaliseSender(request.params.mail)?.address;
      if (address === undefined) throw new HttpError('BAD_REQUEST', 'the person’s address is not of the form name@domain');
      // The member mail and the rights count; the explanation is of the directory's answer, the person's choice first when there is one.
      const [{ value: place }, entry] = await Promise.all([subscriptions.place(list, address), membership.findSender(address, list.directory)]);
      const { inDirectory, override, standing } = place;
      const explained = explainMember(list, address, inDirectory, entry, listParts(catalog.resolver, list), matchesEntry);
      if (override === undefined) return { list: list.address, address, member: standing.member, override: null, ...explained };
      return { list: list.address, address, member: standing.member, override, ...explained, reasons: [overrideReason(list, override), ...explained.reasons] };
    },
  );
};

function freshnessHeaders(reply: FastifyReply, set: MemberSet): void {
  reply
    .header('age', String(set.ageSeconds))
    .header('x-autolist-from-cache', String(set.fromCache))
    .header('x-autolist-stale', String(set.stale))
    .header('x-autolist-fetched-at', set.fetchedAt.toISOString());
}

/** Sends text as it is made: a body the route's schema documents as a string, which a stream is not to TypeScript. */
function stream(reply: FastifyReply, type: string, text: Iterable<string>): FastifyReply {
  return reply.type(type).send(Readable.from(text, { objectMode: false }));
}

/** The members as text, CHUNK lines at a time: the response never holds the whole list as one string. */
function* chunks(members: readonly string[], line: (address: string) => string): Generator<string> {
  for (let start = 0; start < members.length; start += CHUNK) {
    let text = '';
    const end = Math.min(start + CHUNK, members.length);
    for (let i = start; i < end; i++) text += line(members[i] as string);
    yield text;
  }
}
