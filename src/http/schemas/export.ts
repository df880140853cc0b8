import { DEFAULT_EXPORT_LIMIT, EXPORT_FORMATS } from '../../export/index.js';

/** A switch in the query: `?counts`, counts=true or 1; false or 0 to say no. */
const SWITCH = ['', 'true', '1', 'false', '0'] as const;

export const exportQuery = {
  type: 'object',
  required: ['format'],
  properties: {
    format: { type: 'string', enum: EXPORT_FORMATS, description: 'ldif (for ldapadd or slapadd), vcard (vCard 4.0) or csv (RFC 4180).' },
    counts: { type: 'string', enum: SWITCH, description: 'The member count of each list: a CSV column, X-AUTOLIST-MEMBERS in vCards, a comment line in LDIF.' },
    bom: { type: 'string', enum: SWITCH, description: 'CSV: a UTF-8 byte order mark first (for Excel).' },
    base: {
      type: 'string',
      minLength: 1,
      maxLength: 1024,
      description: 'LDIF: the DN the entries go under (mail=ADDRESS,BASE); default AUTOLIST_EXPORT_BASE, else ou=lists, above the family’s base.',
    },
    limit: {
      type: 'integer',
      minimum: 1,
      maximum: 10 * DEFAULT_EXPORT_LIMIT,
      default: DEFAULT_EXPORT_LIMIT,
      description: 'Most names read from the charter; past it the answer is EXPORT_TOO_LARGE rather than a book with lists left out.',
    },
  },
  additionalProperties: false,
} as const;

/** Whether a switch of the query is on. */
export function switchedOn(value: (typeof SWITCH)[number] | undefined): boolean {
  return value !== undefined && value !== 'false' && value !== '0';
}
