import { listAddress } from './common.js';

/** An exclusion or addition, as the API shows it. */
export const overrideSchema = {
  type: 'object',
  required: ['kind', 'address', 'at', 'how', 'rule', 'admitted'],
  additionalProperties: false,
  properties: {
    kind: { type: 'string', enum: ['exclusion', 'addition'], description: '`exclusion`: a member of the directory’s list who unsubscribed; `addition`: someone the family’s subscribe rules let in.' },
    address: { type: 'string', description: 'The person’s address, lower case.' },
    at: { type: 'string', format: 'date-time', description: 'When it was recorded.' },
    how: { type: 'string', enum: ['mail', 'one-click'], description: '`mail`: by a mail to LIST-request confirmed by a token reply; `one-click`: by the List-Unsubscribe link (RFC 8058).' },
    rule: { type: 'string', description: 'The rights rule that allowed it (`file:line`, or `otherwise`).' },
    admitted: {
      type: 'boolean',
      description: 'Additions: whether the family’s subscribe rules still admit the person (else the addition counts for nothing until they do). Always true for exclusions.',
    },
  },
} as const;

export const overridesSchema = {
  type: 'object',
  required: ['list', 'overrides'],
  additionalProperties: false,
  properties: {
    list: { type: 'string' },
    overrides: { type: 'array', items: overrideSchema, description: 'By address.' },
  },
} as const;

export const undoneSchema = {
  type: 'object',
  required: ['list', 'undone'],
  additionalProperties: false,
  properties: { list: { type: 'string' }, undone: overrideSchema },
} as const;

export const overrideParams = {
  type: 'object',
  required: ['address', 'mail'],
  properties: { address: listAddress, mail: { type: 'string', maxLength: 320, description: 'The person’s address' } },
} as const;

export const tokenParams = {
  type: 'object',
  required: ['token'],
  properties: { token: { type: 'string', maxLength: 2048, description: 'The signed token of the link' } },
} as const;

export const oneClickBody = {
  type: 'object',
  properties: { 'List-Unsubscribe': { type: 'string', description: '`One-Click`, as RFC 8058 has mail clients send it' } },
} as const;
