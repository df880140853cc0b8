export const healthSchema = {
  type: 'object',
  properties: { status: { type: 'string', enum: ['ok'] } },
} as const;

export const readySchema = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ready'] },
    directory: { type: 'string', description: 'The directory’s kind (ldap, embedded); it answered a health check.' },
    families: { type: 'array', items: { type: 'string' } },
    loadedAt: { type: 'string', format: 'date-time' },
  },
} as const;
