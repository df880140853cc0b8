export const invalidateBody = {
  type: 'object',
  description: 'Exactly one of: a list address, a family name, or all.',
  properties: {
    list: { type: 'string', maxLength: 1024 },
    family: { type: 'string', maxLength: 256 },
    all: { type: 'boolean', const: true },
  },
  minProperties: 1,
  maxProperties: 1,
  additionalProperties: false,
} as const;

export type InvalidateBody = { list: string } | { family: string } | { all: true };

export const invalidatedSchema = {
  type: 'object',
  required: ['invalidated'],
  properties: {
    invalidated: { type: 'string', enum: ['list', 'family', 'all'] },
    target: { type: 'string' },
  },
} as const;

export const reloadedSchema = {
  type: 'object',
  required: ['families', 'loadedAt'],
  properties: {
    families: { type: 'array', items: { type: 'string' } },
    loadedAt: { type: 'string', format: 'date-time' },
  },
} as const;
