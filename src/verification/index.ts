/**
 * Sender verification: whether the one who claims a sender address may claim it (an authenticated
 * user owning it, a trusted client, or DMARC for it), and which Authentication-Results to believe.
 */
export { userOwnsSender } from './account-owner.js';
export { ClientTrust } from './client-trust.js';
export { mtaAuthenticatedUser } from './mta-login.js';
export { believedResults, dmarcVouchesFor, stripUnbelievedResults, type MessageResults } from './message-results.js';
