export const healthSchema = {
  type: 'object',
  required: ['status'],
  additionalProperties: false,
  properties: { status: { type: 'string', enum: ['ok'] } },
} as const;

export const readySchema = {
  type: 'object',
  required: ['status', 'directory', 'store', 'families', 'loadedAt'],
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: ['ready'] },
    directory: { type: 'string', enum: ['ldap', 'embedded'], description: 'The directory’s kind; it answered a health check.' },
    store: { type: 'string', enum: ['files', 'redis'], description: 'Where delivery records are kept (AUTOLIST_REDIS_URL); Redis answered a PING.' },
    families: { type: 'array', items: { type: 'string' } },
    loadedAt: { type: 'string', format: 'date-time' },
  },
} as const;
