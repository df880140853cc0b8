export const invalidateBody = {
  type: 'object',
  description: 'Exactly one of: a list address, a family name, or all.',
  properties: {
    list: { type: 'string', maxLength: 1024 },
    family: { type: 'string', maxLength: 256 },
    all: { type: 'boolean', const: true },
  },
  additionalProperties: false,
  // Checked before additional properties are removed: a target beside an unknown property is refused.
  maxProperties: 1,
  // Each alternative forbids the others' properties (false), rather than saying additionalProperties: false
  // itself: the validator removes additional properties while it tries an alternative.
  oneOf: [
    { required: ['list'], properties: { family: false, all: false } },
    { required: ['family'], properties: { list: false, all: false } },
    { required: ['all'], properties: { list: false, family: false } },
  ],
} as const;

export const invalidatedSchema = {
  type: 'object',
  required: ['invalidated'],
  additionalProperties: false,
  properties: {
    invalidated: { type: 'string', enum: ['list', 'family', 'all'] },
    target: { type: 'string' },
  },
} as const;

export const reloadedSchema = {
  type: 'object',
  required: ['families', 'loadedAt'],
  additionalProperties: false,
  properties: {
    families: { type: 'array', items: { type: 'string' } },
    loadedAt: { type: 'string', format: 'date-time' },
  },
} as const;
