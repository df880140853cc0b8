import { MAX_NAMES_OFFSET } from '../../charter/family-names.js';
import { directorySchema } from './common.js';

export const familyNameParams = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', description: 'A family name, e.g. liste' } },
} as const;

const summary = {
  name: { type: 'string' },
  domains: { type: 'array', items: { type: 'string' } },
  description: { type: 'string', description: 'The template of its lists’ descriptions.' },
  priority: { type: 'integer' },
  language: { type: 'string', enum: ['en', 'fr'], description: 'The language of its lists’ texts: reasons, replies, notices.' },
  exampleCount: { type: 'integer', description: 'How many example addresses the charter gives.' },
} as const;
const SUMMARY = ['name', 'domains', 'description', 'priority', 'language', 'exampleCount'] as const;

export const familiesSchema = {
  type: 'object',
  required: ['families', 'loadedAt'],
  additionalProperties: false,
  properties: {
    families: { type: 'array', items: { type: 'object', required: SUMMARY, additionalProperties: false, properties: summary } },
    loadedAt: { type: 'string', format: 'date-time', description: 'When the families in service were compiled.' },
  },
} as const;

export const familySchema = {
  type: 'object',
  required: [...SUMMARY, 'subject', 'directory', 'cacheTtlSeconds', 'owners', 'emptyLists', 'dmarc', 'grammar', 'lexicons', 'rights', 'examples'],
  additionalProperties: false,
  properties: {
    ...summary,
    subject: { type: 'string', description: 'The template of its lists’ subject tags.' },
    directory: directorySchema,
    cacheTtlSeconds: { type: 'integer' },
    owners: { type: 'array', items: { type: 'string' } },
    emptyLists: { type: 'string', enum: ['accept', 'refuse'] },
    dmarc: { type: 'string', enum: ['keep-from', 'rewrite-from'], description: 'From of relayed mail: kept, or rewritten to the list with the author in Reply-To.' },
    grammar: {
      type: 'array',
      description: 'The rules in charter notation, the address rule first.',
      items: { type: 'object', required: ['name', 'text'], additionalProperties: false, properties: { name: { type: 'string' }, text: { type: 'string' } } },
    },
    lexicons: {
      type: 'object',
      additionalProperties: {
        type: 'array',
        items: {
          type: 'object',
          required: ['token', 'label', 'filter'],
          additionalProperties: false,
          properties: { token: { type: 'string' }, label: { type: 'string' }, filter: { type: 'string' } },
        },
      },
    },
    rights: { type: 'object', additionalProperties: { type: 'string' } },
    examples: {
      type: 'array',
      items: {
        type: 'object',
        required: ['address', 'refused'],
        additionalProperties: false,
        properties: {
          address: { type: 'string' },
          filter: { type: 'string', description: 'The filter it must compile to; absent for an address the charter refuses.' },
          refused: { type: 'boolean' },
        },
      },
    },
  },
} as const;

export const familyListsQuery = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
    cursor: { type: 'string', pattern: '^[0-9]{1,6}$', description: `From the previous page’s nextCursor (pages start at most ${MAX_NAMES_OFFSET} names in).` },
  },
  additionalProperties: false,
} as const;

export const familyListsSchema = {
  type: 'object',
  required: ['family', 'finite', 'open', 'addresses', 'nextCursor'],
  additionalProperties: false,
  properties: {
    family: { type: 'string' },
    finite: { type: 'boolean', description: 'Whether the family’s names can all be listed.' },
    open: {
      type: 'array',
      items: { type: 'string' },
      description: 'What makes the family infinite (open token classes, repetitions); those names are listed shortest first, open token classes left out.',
    },
    addresses: { type: 'array', items: { type: 'string' } },
    nextCursor: { type: ['string', 'null'] },
  },
} as const;
