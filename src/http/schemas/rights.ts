import { ACTIONS } from '../../charter/rights.js';
import { listAddress } from './common.js';

export const rightsParams = {
  type: 'object',
  required: ['address', 'action'],
  properties: {
    address: listAddress,
    action: { type: 'string', enum: ACTIONS },
  },
} as const;

export const rightsQuery = {
  type: 'object',
  required: ['sender'],
  properties: {
    sender: { type: 'string', maxLength: 1024, description: 'The sender’s address; empty for a bounce (`<>`).' },
    authenticated: { type: 'string', maxLength: 256, description: 'The SMTP AUTH user, when the sender authenticated.' },
    dkim: { type: 'string', maxLength: 32, description: 'The DKIM result (pass, fail, none, ...), when checked.' },
    spf: { type: 'string', maxLength: 32, description: 'The SPF result, when checked.' },
    dmarc: { type: 'string', maxLength: 32, description: 'The DMARC result, when checked.' },
    verified: { type: 'boolean', default: true, description: 'false: decide for a sender nobody vouches for (no trusted client, no DMARC), as the SMTP front does.' },
  },
  additionalProperties: false,
} as const;

export const decisionSchema = {
  type: 'object',
  required: ['decision', 'list', 'action', 'sender', 'rule', 'reasons'],
  additionalProperties: false,
  properties: {
    decision: {
      type: 'string',
      enum: ['allow', 'deny', 'defer', 'moderate'],
      description:
        'defer: the directory, or the list’s subscriptions, could not be read; ask again after Retry-After seconds. moderate: the message is taken and held until a moderator approves it. (pending, the message deciding, only comes to the mail fronts.)',
    },
    list: { type: 'string' },
    action: { type: 'string', enum: ACTIONS },
    sender: { type: 'string', description: 'The sender as matched: lower case, +tag removed; empty for a bounce.' },
    rule: {
      type: 'string',
      description:
        'The rule that decided (file:line), otherwise, closed, empty-sender, unverified, or for a defer directory (the directory did not answer) or store (the list’s subscriptions could not be read).',
    },
    reasons: { type: 'array', items: { type: 'string' }, description: 'The rule that matched, then each condition checked with its result.' },
    moderators: {
      description: 'With moderate: who moderates, the family owners or the members of a list.',
      oneOf: [
        { type: 'object', required: ['kind'], additionalProperties: false, properties: { kind: { type: 'string', enum: ['owners'] } } },
        { type: 'object', required: ['kind', 'address'], additionalProperties: false, properties: { kind: { type: 'string', enum: ['list'] }, address: { type: 'string' } } },
      ],
    },
  },
} as const;
