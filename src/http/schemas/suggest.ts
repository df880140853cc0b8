export const suggestQuery = {
  type: 'object',
  required: ['q'],
  properties: {
    q: { type: 'string', maxLength: 254, description: 'What has been typed of an address.' },
    limit: { type: 'integer', minimum: 1, maximum: 50, default: 10 },
  },
  additionalProperties: false,
} as const;

export const suggestSchema = {
  type: 'object',
  required: ['q', 'completions'],
  additionalProperties: false,
  properties: {
    q: { type: 'string' },
    completions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['address', 'complete'],
        additionalProperties: false,
        properties: {
          address: { type: 'string' },
          complete: { type: 'boolean', description: 'A full list address (else a longer prefix of one).' },
          description: { type: 'string' },
        },
      },
    },
  },
} as const;
