import { MAX_PAGE_LIMIT } from '../../membership/index.js';
import { listAddress } from './common.js';
import { overrideSchema } from './overrides.js';

/** Where the members came from: in every members response, and as headers. */
const freshness = {
  fromCache: { type: 'boolean', description: 'Served from the members cache (else from a directory search made for this request).' },
  stale: { type: 'boolean', description: 'Past the family’s cache-ttl: served while it is refreshed, or because the directory is down.' },
  ageSeconds: { type: 'integer', description: 'Seconds since the directory was searched (also the Age header).' },
  fetchedAt: { type: 'string', format: 'date-time' },
} as const;
/** The freshness members, in every members response. */
const FRESHNESS = ['fromCache', 'stale', 'ageSeconds', 'fetchedAt'] as const;

const COUNT_VALUES = ['', 'true', '1', 'false', '0'] as const;

export const membersQuery = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE_LIMIT, default: 100, description: 'Members per page.' },
    cursor: { type: 'string', maxLength: 2048, description: 'The nextCursor of the previous page, unchanged.' },
    count: { type: 'string', enum: COUNT_VALUES, description: '`?count` (or count=true): the count alone.' },
  },
  additionalProperties: false,
} as const;

export const membersPageSchema = {
  type: 'object',
  required: ['address', 'total', 'members', 'nextCursor', 'entries', 'unreachable', ...FRESHNESS],
  additionalProperties: false,
  properties: {
    address: { type: 'string' },
    total: { type: 'integer', description: 'Members of the whole list.' },
    members: { type: 'array', items: { type: 'string' }, description: 'As the directory writes them (the domain in lower case), sorted without case.' },
    nextCursor: { type: ['string', 'null'], description: 'Pass it as `cursor` for the next page; null on the last.' },
    entries: { type: 'integer', description: 'Directory entries the list’s filter matched.' },
    unreachable: { type: 'integer', description: 'Entries without an address in the member attribute.' },
    ...freshness,
  },
} as const;

export const membersCountSchema = {
  type: 'object',
  required: ['address', 'count', 'entries', 'unreachable', ...FRESHNESS],
  additionalProperties: false,
  properties: {
    address: { type: 'string' },
    count: { type: 'integer' },
    entries: { type: 'integer' },
    unreachable: { type: 'integer' },
    ...freshness,
  },
} as const;

export const memberParams = {
  type: 'object',
  required: ['address', 'mail'],
  properties: {
    address: listAddress,
    mail: { type: 'string', description: 'A person’s address' },
  },
} as const;

export const membershipSchema = {
  type: 'object',
  required: ['list', 'address', 'member', 'override', 'entry', 'parts', 'reasons'],
  additionalProperties: false,
  properties: {
    list: { type: 'string' },
    address: { type: 'string', description: 'The address asked about, normalised (lower case, +tag removed).' },
    member: { type: 'boolean', description: 'Whether the person gets the list’s mail: the directory’s answer, unless they unsubscribed (exclusion) or subscribed (addition).' },
    override: { ...overrideSchema, type: ['object', 'null'], description: 'The person’s exclusion or addition on the list; null when the directory alone decides.' },
    entry: {
      type: ['object', 'null'],
      description: 'The person’s directory entry: its DN and the attributes the list’s filter and addresses use.',
      required: ['dn', 'attributes'],
      additionalProperties: false,
      properties: { dn: { type: 'string' }, attributes: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } } },
    },
    parts: {
      type: 'array',
      description: 'Each part of the list’s filter, in the charter’s words, and whether the entry satisfies it.',
      items: {
        type: 'object',
        required: ['label', 'filter', 'satisfied'],
        additionalProperties: false,
        properties: { label: { type: 'string' }, filter: { type: 'string' }, satisfied: { type: 'boolean' } },
      },
    },
    reasons: { type: 'array', items: { type: 'string' } },
  },
} as const;
