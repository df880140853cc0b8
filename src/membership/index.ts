export { Membership, pagerOf, type ExpandOptions, type MemberPage, type MemberSet, type PageRequest } from './membership.js';
export type { MembershipOptions } from './options.js';
export type { MembershipStats } from './stats.js';
export type { Aged, SenderDirectory } from './sender-directory.js';
export { MAX_PAGE_LIMIT } from './cursor.js';
export { BadCursorError, BadPageLimitError, UnexpectedDirectoryError } from './errors.js';
export { memberKey } from './member-addresses.js';
export { includesSorted } from './sorted.js';
