export { Membership, pagerOf, type ExpandOptions, type MemberPage, type MemberSet, type PageRequest } from './membership.js';
export type { MembershipOptions } from './options.js';
export type { MembershipStats } from './stats.js';
export { normaliseSender, type SenderAddress } from './sender-address.js';
export { MAX_PAGE_LIMIT } from './cursor.js';
export { BadCursorError, BadPageLimitError, UnexpectedDirectoryError } from './errors.js';
