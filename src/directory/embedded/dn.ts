import { matchingRule } from './matching.js';
import { attributeType } from './schema.js';

/**
 * Distinguished names (RFC 4514), normalised for comparison: attribute types by their schema name,
 * values by their equality rule (so `CN=Jean  Chef, DC=Example` equals `cn=jean chef,dc=example`),
 * no insignificant spaces, multi-valued RDNs in a fixed order.
 */

const HEX = /^[0-9A-Fa-f]{2}$/;
/** `type=value,...` with no escape, quote, hex value, multi-valued RDN or space around separators: most DNs. */
const PLAIN_DN = /^[A-Za-z][A-Za-z0-9-]*=[^\\,;+"=<>#\0 ](?:[^\\,;+"=<>\0]*[^\\,;+"=<>\0 ])?(?:,[A-Za-z][A-Za-z0-9-]*=[^\\,;+"=<>#\0 ](?:[^\\,;+"=<>\0]*[^\\,;+"=<>\0 ])?)*$/;

/** The normalised DN, or undefined when the text is not a DN. */
export function normalizeDN(dn: string): string | undefined {
  return PLAIN_DN.test(dn) ? normalizePlainDN(dn) : parseDN(dn);
}

/** A DN that PLAIN_DN accepts: split at its commas and equals signs, each value normalised. */
function normalizePlainDN(dn: string): string | undefined {
  const rdns = dn.split(',');
  for (let i = 0; i < rdns.length; i++) {
    const rdn = rdns[i] as string;
    const eq = rdn.indexOf('=');
    const ava = normalizeAva(rdn.slice(0, eq), rdn.slice(eq + 1));
    if (ava === undefined) return undefined;
    rdns[i] = ava;
  }
  return rdns.join(',');
}

/** `type=value` normalised: the type by its schema name, the value by its equality rule, escaped. */
function normalizeAva(typeName: string, value: string): string | undefined {
  const type = attributeType(typeName);
  const normalized = type ? matchingRule(type.equality)?.normalize(value, 'equality') : value.toLowerCase();
  return normalized === undefined ? undefined : `${type?.key ?? typeName.toLowerCase()}=${escapeValue(normalized)}`;
}

function parseDN(dn: string): string | undefined {
  const rdns: string[] = [];
  let pos = 0;
  const skipSpaces = (): void => {
    while (dn[pos] === ' ') pos++;
  };
  skipSpaces();
  if (pos === dn.length) return '';
  for (;;) {
    const avas: string[] = [];
    for (;;) {
      skipSpaces();
      const eq = dn.indexOf('=', pos);
      if (eq < 0) return undefined;
      const typeName = dn.slice(pos, eq).trim();
      if (!/^(?:[A-Za-z][A-Za-z0-9-]*|[0-9]+(?:\.[0-9]+)*)$/.test(typeName)) return undefined;
      pos = eq + 1;
      skipSpaces();
      const value = readValue();
      const ava = value === undefined ? undefined : normalizeAva(typeName, value);
      if (ava === undefined) return undefined;
      avas.push(ava);
      if (dn[pos] !== '+') break;
      pos++;
    }
    rdns.push(avas.sort().join('+'));
    if (pos === dn.length) return rdns.join(',');
    if (dn[pos] !== ',' && dn[pos] !== ';') return undefined;
    pos++;
  }

  /** An attribute value up to the next unescaped separator; trailing unescaped spaces dropped. */
  function readValue(): string | undefined {
    const bytes: number[] = [];
    let keep = 0;
    if (dn[pos] === '#') {
      const hex = /^#([0-9A-Fa-f]{2})+/.exec(dn.slice(pos));
      if (!hex) return undefined;
      pos += hex[0].length;
      skipSpaces();
      return hex[0].toLowerCase();
    }
    while (pos < dn.length && dn[pos] !== ',' && dn[pos] !== ';' && dn[pos] !== '+') {
      const ch = String.fromCodePoint(dn.codePointAt(pos) as number);
      if (ch === '\\') {
        const pair = dn.slice(pos + 1, pos + 3);
        if (HEX.test(pair)) {
          bytes.push(parseInt(pair, 16));
          pos += 3;
        } else if (pos + 1 < dn.length) {
          bytes.push(...Buffer.from(dn[pos + 1] as string, 'utf8'));
          pos += 2;
        } else {
          return undefined;
        }
        keep = bytes.length;
        continue;
      }
      if (ch === '"' || ch === '=') return undefined;
      bytes.push(...Buffer.from(ch, 'utf8'));
      if (ch !== ' ') keep = bytes.length;
      pos += ch.length;
    }
    try {
      // ignoreBOM: a value beginning with U+FEFF keeps it.
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(new Uint8Array(bytes.slice(0, keep)));
    } catch {
      return undefined;
    }
  }
}

/** The parent of a normalised DN ('' for a top entry). */
export function parentOf(normalizedDN: string): string {
  const comma = normalizedDN.indexOf(',');
  return comma < 0 ? '' : normalizedDN.slice(comma + 1);
}

/** Whether a normalised DN is `base` or below it. */
export function isWithin(normalizedDN: string, base: string): boolean {
  return base === '' || normalizedDN === base || normalizedDN.endsWith(`,${base}`);
}

/** Separators and escape characters are hex-escaped, so that commas in the normalised form only separate RDNs. */
function escapeValue(value: string): string {
  return value.replace(/[\\,+;="<>#\0]/g, (ch) => `\\${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
