const NAME = '^[a-z0-9][a-z0-9_-]{0,63}$';

export const charterCheckBody = {
  type: 'object',
  required: ['name', 'charter'],
  properties: {
    name: { type: 'string', pattern: NAME, description: 'The family’s name (its folder’s, which the charter’s `family` line must repeat).' },
    charter: { type: 'string', description: 'The text of NAME.charter.' },
    lexicons: {
      type: 'object',
      description: 'Its lexicon tables by name (the text of NAME.tsv).',
      propertyNames: { pattern: NAME },
      additionalProperties: { type: 'string' },
    },
  },
  additionalProperties: false,
} as const;

export const diagnosticSchema = {
  type: 'object',
  required: ['file', 'line', 'col', 'message'],
  additionalProperties: false,
  properties: { file: { type: 'string' }, line: { type: 'integer' }, col: { type: 'integer' }, message: { type: 'string' } },
} as const;

export const charterCheckSchema = {
  type: 'object',
  required: ['ok', 'diagnostics'],
  additionalProperties: false,
  properties: {
    ok: { type: 'boolean' },
    family: {
      type: 'object',
      description: 'The compiled family, when it compiles.',
      required: ['name', 'domains', 'rules', 'examples'],
      additionalProperties: false,
      properties: { name: { type: 'string' }, domains: { type: 'array', items: { type: 'string' } }, rules: { type: 'integer' }, examples: { type: 'integer' } },
    },
    diagnostics: { type: 'array', items: diagnosticSchema },
  },
} as const;
