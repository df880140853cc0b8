/** Longest text put in a reply: a whole SMTP reply line stays under RFC 5321's 512 octets. */
const MAX_REPLY_CHARS = 300;

/**
 * Text safe in a one-line reply: accents dropped (é -> e), anything else outside printable ASCII
 * (newlines above all, which would end the reply early) turned into `?`, length capped.
 */
export function replyText(text: string, maxChars = MAX_REPLY_CHARS): string {
  const ascii = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '?')
    .trim();
  return ascii.length > maxChars ? `${ascii.slice(0, maxChars - 3)}...` : ascii;
}
