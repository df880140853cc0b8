export const bouncesQuery = {
  type: 'object',
  properties: {
    list: { type: 'string', maxLength: 1024, description: 'Only the bounces of this list address.' },
    limit: { type: 'integer', minimum: 1, maximum: 10_000, default: 100 },
  },
  additionalProperties: false,
} as const;

export const bouncesSchema = {
  type: 'object',
  required: ['total', 'addresses'],
  additionalProperties: false,
  properties: {
    total: { type: 'integer', description: 'Addresses that bounced (for the list, if one is given).' },
    addresses: {
      type: 'array',
      description: 'Most bounced first.',
      items: {
        type: 'object',
        required: ['address', 'count', 'lists', 'firstAt', 'lastAt', 'lastStatus'],
        additionalProperties: false,
        properties: {
          address: { type: 'string' },
          count: { type: 'integer' },
          lists: { type: 'array', items: { type: 'string' } },
          firstAt: { type: 'string', format: 'date-time' },
          lastAt: { type: 'string', format: 'date-time' },
          lastStatus: { type: 'string', description: 'RFC 3463 status of the last bounce (5.1.1).' },
          lastDiagnostic: { type: 'string' },
        },
      },
    },
  },
} as const;
