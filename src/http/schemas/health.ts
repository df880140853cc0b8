export const healthSchema = {
  type: 'object',
  properties: { status: { type: 'string', enum: ['ok'] } },
} as const;

export const readySchema = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ready'] },
    directory: { type: 'string', description: 'The directory’s kind (ldap, embedded); it answered a health check.' },
    store: { type: 'string', enum: ['files', 'redis'], description: 'Where delivery records are kept (AUTOLIST_REDIS_URL); Redis answered a PING.' },
    families: { type: 'array', items: { type: 'string' } },
    loadedAt: { type: 'string', format: 'date-time' },
  },
} as const;
