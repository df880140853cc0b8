import { parseTextTemplate, type Placeholder } from '../filter/index.js';
import { isLanguage, LANGUAGES } from '../i18n/index.js';
import type { Scope } from '../directory/directory.js';
import type { FamilyHeader } from './family.js';
import type { CharterMessage } from './messages.js';
import type { Problems } from './problems.js';
import type { HeaderStatement, Position, Text } from './syntax.js';

/** A placeholder of the description or subject, where it stands in the charter (checked once the grammar is known). */
export interface PlacedPlaceholder {
  placeholder: Placeholder;
  at: Position;
}

const SCOPES: Record<string, Scope> = { base: 'base', one: 'one', sub: 'sub', subtree: 'sub', onelevel: 'one' };
const DOMAIN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;
const ATTRIBUTE = /^[A-Za-z][A-Za-z0-9-]*$/;
const DEFAULT_TTL_SECONDS = 3600;
const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
const DEFAULT_MODERATION_EXPIRY_SECONDS = 7 * 86_400;

/**
 * Reads the family header; mistakes go to `problems`, with defaults standing in so checking goes on.
 * The placeholders of `description` and `subject` are added to `placed`, each at its own column.
 */
export function compileHeader(statements: HeaderStatement[], expectedName: string, file: string, problems: Problems, placed: PlacedPlaceholder[] = []): FamilyHeader {
  const byKey = new Map<string, HeaderStatement>();
  for (const s of statements) {
    const previous = byKey.get(s.key);
    if (previous) problems.add(s, { key: 'header.repeated', values: { key: s.key, line: previous.line } });
    else byKey.set(s.key, s);
  }
  const single = (key: string): Text | undefined => {
    const s = byKey.get(key);
    if (s && s.values.length > 1) problems.add(s.values[1] as Text, { key: 'header.one-value', values: { key } });
    return s?.values[0];
  };
  const required = (key: string, what: CharterMessage): Text | undefined => {
    const value = single(key);
    if (!value) problems.add({ line: 1, col: 1 }, { key: 'header.missing', values: { key, what } });
    return value;
  };
  const integer = (key: string, low: number, high: number, fallback: number): number => {
    const value = single(key);
    if (!value) return fallback;
    const n = Number(value.value);
    if (!Number.isInteger(n) || n < low || n > high) {
      problems.add(value, { key: 'header.whole-number', values: { key, low: String(low), high: String(high) } });
      return fallback;
    }
    return n;
  };
  const template = (key: string): ReturnType<typeof parseTextTemplate> => {
    const value = single(key);
    if (!value) return [];
    // The string's content starts after its opening quote.
    const at = { line: value.line, col: value.col + 1 };
    return (
      problems.guard(
        at,
        () => parseTextTemplate(value.value, (placeholder, offset) => placed.push({ placeholder, at: { line: at.line, col: at.col + offset } })),
        (problem) => ({ key: 'header.template', values: { key, problem } }),
      ) ?? []
    );
  };

  const name = required('family', { key: 'header.what.family' });
  if (name && name.value !== expectedName) problems.add(name, { key: 'header.folder', values: { name: name.value, folder: expectedName } });

  const domainStatement = byKey.get('domain');
  if (!domainStatement) problems.add({ line: 1, col: 1 }, { key: 'header.missing', values: { key: 'domain', what: { key: 'header.what.domain' } } });
  const domains = (domainStatement?.values ?? []).map((d) => {
    const domain = d.value.toLowerCase();
    if (!DOMAIN.test(domain)) problems.add(d, { key: 'header.domain', values: { domain: d.value } });
    return domain;
  });

  const base = required('base', { key: 'header.what.base' });
  const scopeText = single('scope');
  const scope = scopeText ? SCOPES[scopeText.value.toLowerCase()] : 'sub';
  if (!scope && scopeText) problems.add(scopeText, { key: 'header.scope' });

  const memberAttribute = single('member-attribute');
  const alternates = byKey.get('alternate-addresses')?.values ?? [];
  for (const a of [memberAttribute, ...alternates]) {
    if (a && !ATTRIBUTE.test(a.value)) problems.add(a, { key: 'header.attribute', values: { name: a.value } });
  }

  const emptyLists = single('empty-lists');
  if (emptyLists && !['accept', 'refuse'].includes(emptyLists.value)) problems.add(emptyLists, either('empty-lists', 'accept', 'refuse'));
  const dmarc = single('dmarc');
  if (dmarc && !['keep-from', 'rewrite-from'].includes(dmarc.value)) problems.add(dmarc, either('dmarc', 'keep-from', 'rewrite-from'));
  const language = single('language');
  if (language && !isLanguage(language.value)) problems.add(language, { key: 'header.one-of', values: { key: 'language', choices: LANGUAGES.join(', ') } });
  const senders = single('senders');
  if (senders && !['verified', 'any'].includes(senders.value)) problems.add(senders, either('senders', 'verified', 'any'));
  const isPublic = single('public');
  if (isPublic && !['yes', 'no'].includes(isPublic.value)) problems.add(isPublic, either('public', 'yes', 'no'));

  return {
    name: expectedName,
    file,
    domains,
    directory: {
      base: base?.value ?? '',
      scope: scope ?? 'sub',
      memberAttribute: memberAttribute?.value ?? 'mail',
      alternateAddressAttributes: alternates.map((a) => a.value),
    },
    priority: integer('priority', 1, 9, 5),
    cacheTtlSeconds: integer('cache-ttl', 0, 7 * 24 * 3600, DEFAULT_TTL_SECONDS),
    description: template('description'),
    subject: template('subject'),
    owners: (byKey.get('owners')?.values ?? []).map((o) => o.value.toLowerCase()),
    acceptEmptyLists: emptyLists?.value === 'accept',
    rewriteFrom: dmarc?.value === 'rewrite-from',
    senders: senders?.value === 'any' ? 'any' : 'verified',
    public: isPublic?.value === 'yes',
    language: language && isLanguage(language.value) ? language.value : 'en',
    moderationExpirySeconds: duration(single('moderation-expiry'), DEFAULT_MODERATION_EXPIRY_SECONDS, problems),
  };
}

/** `7d`, `12h`, `30m`, `45s`: a whole number and its unit, up to a year. */
function duration(value: Text | undefined, fallback: number, problems: Problems): number {
  if (value === undefined) return fallback;
  const match = /^([0-9]{1,8})([smhd])$/.exec(value.value);
  const seconds = match ? Number(match[1]) * (DURATION_UNITS[match[2] as string] as number) : 0;
  if (seconds < 1 || seconds > 366 * 86_400) {
    problems.add(value, { key: 'header.duration', values: { value: value.value } });
    return fallback;
  }
  return seconds;
}

/** `"dmarc" is keep-from or rewrite-from`: a header key that takes one of two words. */
function either(key: string, first: string, second: string): CharterMessage {
  return { key: 'header.either', values: { key, first, second } };
}
