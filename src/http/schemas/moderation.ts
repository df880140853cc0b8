const STATES = ['held', 'approved', 'rejected', 'expired'];

/** A capability token of a moderation link (signed, expiring): the link is the right to decide. */
export const tokenParams = {
  type: 'object',
  required: ['token'],
  properties: { token: { type: 'string', maxLength: 2048, description: 'The token of a moderator’s link (PUBLIC_URL/moderation/TOKEN).' } },
} as const;

export const heldIdParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', maxLength: 64, description: 'A held message’s id (autolist held LIST).' } },
} as const;

const decisionSchema = {
  type: 'object',
  required: ['state', 'by', 'at'],
  additionalProperties: false,
  description: 'The first decision: who took it (a moderator’s address, admin, or expiry), when, and a rejection’s reason.',
  properties: {
    state: { type: 'string', enum: ['approved', 'rejected', 'expired'] },
    by: { type: 'string' },
    at: { type: 'string', format: 'date-time' },
    reason: { type: 'string' },
  },
} as const;

/** A held message as moderators see it: its envelope, its decoded From, Subject and Date, the start of its text (plain text). */
export const heldMessageSchema = {
  type: 'object',
  required: ['id', 'list', 'sender', 'from', 'subject', 'date', 'text', 'heldAt', 'expiresAt', 'state'],
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    list: { type: 'string' },
    sender: { type: 'string', description: 'The envelope sender, whom a rejection or the expiry is told to; empty for a bounce.' },
    from: { type: 'string' },
    subject: { type: 'string' },
    date: { type: 'string', description: 'The Date header as written.' },
    text: { type: 'string', description: 'The start of the message’s text, plain (to be shown escaped).' },
    heldAt: { type: 'string', format: 'date-time' },
    expiresAt: { type: 'string', format: 'date-time', description: 'When nobody deciding, its author is told it expired.' },
    state: { type: 'string', enum: STATES },
    decision: decisionSchema,
    token: { type: 'string', description: 'In a moderator’s list view: the token of this message’s own link, for this moderator.' },
  },
} as const;

export const moderationViewSchema = {
  type: 'object',
  required: ['moderator', 'language', 'message'],
  additionalProperties: false,
  properties: {
    moderator: { type: 'string', description: 'The moderator the link was given to.' },
    language: { type: 'string', enum: ['en', 'fr'], description: 'The list’s language.' },
    description: { type: 'string', description: 'The list’s description.' },
    message: heldMessageSchema,
  },
} as const;

export const moderationListSchema = {
  type: 'object',
  required: ['list', 'moderator', 'language', 'messages'],
  additionalProperties: false,
  properties: {
    list: { type: 'string' },
    moderator: { type: 'string' },
    language: { type: 'string', enum: ['en', 'fr'] },
    description: { type: 'string' },
    messages: { type: 'array', items: heldMessageSchema, description: 'The messages waiting for a decision, oldest first.' },
  },
} as const;

export const heldListSchema = {
  type: 'object',
  required: ['list', 'messages'],
  additionalProperties: false,
  properties: {
    list: { type: 'string' },
    messages: { type: 'array', items: heldMessageSchema, description: 'The messages waiting for a decision, oldest first.' },
  },
} as const;

export const decideBody = {
  type: 'object',
  required: ['decision'],
  additionalProperties: false,
  properties: {
    decision: { type: 'string', enum: ['approve', 'reject'] },
    reason: { type: 'string', maxLength: 2000, description: 'With reject: told to the author.' },
  },
} as const;

export const rejectBody = {
  type: 'object',
  additionalProperties: false,
  properties: { reason: { type: 'string', maxLength: 2000, description: 'Told to the author.' } },
} as const;

export const decidedSchema = {
  type: 'object',
  required: ['id', 'state', 'decision'],
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    state: { type: 'string', enum: STATES },
    decision: decisionSchema,
  },
} as const;
