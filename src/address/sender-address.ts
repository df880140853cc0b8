/** A sender address as autolist compares it: lower case, NFC, subaddress removed. */
export interface SenderAddress {
  /** `local@domain`. */
  address: string;
  local: string;
  domain: string;
}

/** One atom of a dot-atom (RFC 5322 atext, plus any non-ASCII character as RFC 6532 allows). */
const ATOM = String.raw`[^\s\x00-\x1f\x7f"(),.:;<>@[\\\]]+`;
const DOT_ATOM = new RegExp(`^${ATOM}(?:\\.${ATOM})*$`, 'u');
/** An RFC 5321 source route before the mailbox: `@relay1,@relay2:`. */
const SOURCE_ROUTE = /^@[^:]*:/;
const SUBADDRESS_DELIMITER = '+';

/**
 * Normalises an envelope sender for lookups: trims, unwraps `<...>`, drops a source route,
 * lower-cases, removes a `+tag` subaddress, and writes a quoted local part without its quotes when
 * they are not needed (`"jean.dupont"` is `jean.dupont`). Lenient with odd but plausible local parts,
 * which are kept (the directory simply finds nobody); null only for an empty sender (`<>`) or text
 * that has no `local@domain` shape. Never throws, and normalising its own output changes nothing.
 */
export function normaliseSender(raw: string): SenderAddress | null {
  const text = settle(raw.toLowerCase().normalize('NFC'), unwrap);
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) return null;
  const local = settle(text.slice(0, at), normaliseLocalPart);
  const domain = text.slice(at + 1);
  return { address: `${local}@${domain}`, local, domain };
}

/**
 * Applies a step until it changes nothing, so that normalising is idempotent even for input built
 * to fool one pass (`<<a@b>>`, or `"x"+tag` which loses its tag and then looks quoted).
 */
function settle(text: string, step: (text: string) => string): string {
  let current = text;
  for (;;) {
    const next = step(current);
    if (next === current) return current;
    current = next;
  }
}

/**
 * Peels what surrounds the address proper: white space, the angle brackets of a path, a source
 * route, the trailing dot of a fully qualified domain.
 */
function unwrap(text: string): string {
  let peeled = text.trim().replace(/\.+$/, '');
  if (peeled.startsWith('<') && peeled.endsWith('>')) peeled = peeled.slice(1, -1);
  return peeled.replace(SOURCE_ROUTE, '');
}

function normaliseLocalPart(local: string): string {
  let plain = local;
  if (local.length >= 2 && local.startsWith('"') && local.endsWith('"')) {
    const content = local.slice(1, -1).replace(/\\([\s\S])/g, '$1');
    // Quotes that are needed stay, written one way only: `"` and `\` escaped, nothing else.
    if (!DOT_ATOM.test(content)) return `"${content.replace(/["\\]/g, '\\$&')}"`;
    plain = content;
  }
  const delimiter = plain.indexOf(SUBADDRESS_DELIMITER);
  // `+tag@...` alone has nothing before the delimiter: it is the whole name, not a subaddress.
  return delimiter > 0 ? plain.slice(0, delimiter) : plain;
}
