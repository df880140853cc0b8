import { ACTIONS } from '../../charter/rights.js';
import { MAX_ENUMERATED } from '../../studio/try.js';
import { diagnosticSchema } from './charters.js';
import { decisionSchema } from './rights.js';

const NAME = '^[a-z0-9][a-z0-9_-]{0,63}$';
/** Longest charter text, in characters; a draft as a whole is also bounded by AUTOLIST_HTTP_BODY_LIMIT. */
export const MAX_CHARTER_LENGTH = 262_144;
/** Most lexicons a draft may have. */
export const MAX_LEXICONS = 32;

const draftProperties = {
  name: { type: 'string', pattern: NAME, description: 'The family’s name: its folder’s, which the charter’s `family` line must repeat.' },
  charter: { type: 'string', maxLength: MAX_CHARTER_LENGTH, description: 'The text of NAME.charter.' },
  lexicons: {
    type: 'object',
    description: 'Its lexicon tables by name: the text of TABLE.tsv.',
    maxProperties: MAX_LEXICONS,
    propertyNames: { pattern: NAME },
    additionalProperties: { type: 'string' },
  },
} as const;

export const draftBody = {
  type: 'object',
  required: ['name', 'charter'],
  properties: draftProperties,
  additionalProperties: false,
} as const;

export const tryBody = {
  type: 'object',
  required: ['name', 'charter'],
  properties: {
    ...draftProperties,
    address: { type: 'string', maxLength: 1024, description: 'A list address, or its name alone (the family’s first domain is added).' },
    sender: { type: 'string', maxLength: 1024, description: 'With an address: decide for this sender (`action`, default send).' },
    action: { type: 'string', enum: ACTIONS, default: 'send' },
    enumerate: { type: 'integer', minimum: 0, maximum: MAX_ENUMERATED, default: 20, description: 'How many of the family’s addresses to list.' },
  },
  additionalProperties: false,
} as const;

const tokenSchema = {
  type: 'object',
  required: ['at', 'length', 'kind'],
  additionalProperties: false,
  properties: {
    at: { type: 'integer', description: 'Where it starts in the charter, in UTF-16 code units.' },
    length: { type: 'integer' },
    kind: { type: 'string', enum: ['comment', 'key', 'keyword', 'word', 'rule', 'string', 'regex', 'range', 'filter', 'operator', 'punctuation', 'error'] },
  },
} as const;

export const studioCheckSchema = {
  type: 'object',
  required: ['ok', 'diagnostics', 'tokens', 'railroad'],
  additionalProperties: false,
  properties: {
    ok: { type: 'boolean' },
    diagnostics: { type: 'array', items: diagnosticSchema },
    tokens: { type: 'array', items: tokenSchema, description: 'The charter’s tokens as the compiler’s lexer reads them, for highlighting.' },
    railroad: {
      type: 'array',
      description: 'When the draft compiles: a railroad diagram of each rule, the address first.',
      items: {
        type: 'object',
        required: ['rule', 'svg'],
        additionalProperties: false,
        properties: { rule: { type: 'string' }, svg: { type: 'string', description: 'An SVG element (railroad-diagrams), its text escaped.' } },
      },
    },
  },
} as const;

export const studioTrySchema = {
  type: 'object',
  required: ['family', 'enumerated'],
  additionalProperties: false,
  properties: {
    family: { type: 'string' },
    enumerated: {
      type: 'object',
      required: ['finite', 'open', 'addresses', 'more'],
      additionalProperties: false,
      properties: {
        finite: { type: 'boolean' },
        open: { type: 'array', items: { type: 'string' }, description: 'Rules with open token classes, left out of the enumeration.' },
        addresses: { type: 'array', items: { type: 'string' } },
        more: { type: 'boolean' },
      },
    },
    refusal: {
      type: 'object',
      description: 'Why the address names no list: the problem the lists route would answer (code, detail, column, expected, suggestions).',
      required: ['code', 'detail'],
      additionalProperties: true,
      properties: { code: { type: 'string' }, detail: { type: 'string' } },
    },
    list: { $ref: 'List#' },
    members: {
      type: 'object',
      required: ['count', 'unreachable', 'first'],
      additionalProperties: false,
      properties: { count: { type: 'integer' }, unreachable: { type: 'integer' }, first: { type: 'array', items: { type: 'string' } } },
    },
    decision: decisionSchema,
  },
} as const;

export const installedSchema = {
  type: 'object',
  required: ['family', 'replaced', 'families', 'loadedAt'],
  additionalProperties: false,
  properties: {
    family: { type: 'string' },
    replaced: { type: ['string', 'null'], description: 'The version the install replaced, kept and restorable; null for a new family.' },
    families: { type: 'array', items: { type: 'string' }, description: 'The families in service after the reload.' },
    loadedAt: { type: 'string', format: 'date-time' },
  },
} as const;

export const studioFamilyParams = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', pattern: NAME } },
} as const;

export const studioVersionParams = {
  type: 'object',
  required: ['name', 'version'],
  properties: { name: { type: 'string', pattern: NAME }, version: { type: 'string', maxLength: 64 } },
} as const;

export const studioFamilySchema = {
  type: 'object',
  required: ['name', 'charter', 'lexicons'],
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    charter: { type: 'string' },
    lexicons: { type: 'object', additionalProperties: { type: 'string' } },
  },
} as const;

export const versionsSchema = {
  type: 'object',
  required: ['family', 'versions'],
  additionalProperties: false,
  properties: {
    family: { type: 'string' },
    versions: { type: 'array', items: { type: 'string' }, description: 'The kept versions, newest first: when each was replaced.' },
  },
} as const;
