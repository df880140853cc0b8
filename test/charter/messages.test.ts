import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSharedConditions } from '../../src/charter/compile.js';
import { CharterError, type Diagnostic, formatDiagnostic } from '../../src/charter/errors.js';
import { familySource } from '../../src/charter/load.js';
import { type CharterMessage, charterCatalog } from '../../src/charter/messages.js';
import { family, HEADER } from './helpers.js';

const towns = (rows: string): Record<string, string> => ({ t: `token\tfilter\tlabel\n${rows}` });
const RULE = "<a> ::= 'x'\n";
/** A grammar whose names are xy and xz, each with its filter. */
const XYZ = "<a> ::= 'x' <b>\n<b> ::= 'y' filter (b=y) | 'z' filter (b=z)\n";

/** Broken charters (text, lexicons): together they raise every problem the compiler knows of. */
const CORPUS: Array<[string, Record<string, string>?]> = [
  // Syntax: what was expected where it stopped.
  [`${HEADER}colour blue\n`],
  [`${HEADER}<a> ::=\n`],
  [`${HEADER}<a> ::= /[0-9]+/ in x\n`],
  [`${HEADER}<a> ::= 'x' filter title=x)\n`],
  [`${HEADER}<a> ::= 'x' filter (&(title=x)\n`],
  [`${HEADER}rights "send"\n`],
  [`${HEADER}<a> ::= 'x' label "a" label "b"\n`],
  [`${HEADER}<a> ::= /[0-9]+/ in 9..1\n`],
  [`${HEADER}<a> ::= 'x'+ separated by '.' separated by '-'\n`],
  [`${HEADER}<a> ::= 'x'+ matching all matching any\n`],
  [`${HEADER}<a> ::= 'x'+ in any order in canonical order\n`],
  [`${HEADER}${RULE}condition chef = anyone label "a" label "b"\n`],
  // The header.
  [RULE],
  [
    `family other\ndomain not_a_domain\nbase "dc=x"\nbase "dc=y"\nscope deep\npriority 12\npriority 3\ncache-ttl 3, 4\nmember-attribute 1x\ndmarc maybe\nlanguage de\nmoderation-expiry 10y\ndescription "{"\n${RULE}`,
  ],
  // Rules, lexicons, placeholders, token classes.
  [HEADER],
  [`${HEADER}<a> ::= '' | <b> | table towns | table t\n<a> ::= 'y'\n<c> ::= 'z'\n`, { t: 'token\tlabel\nx\tX\n', u: 'token\tfilter\tlabel\n' }],
  [`${HEADER}<a> ::= table t\n`, towns('x\t(l=x)\ny\t(l=y)\tY\ny\t(l=y)\tY\n\t(l=z)\tZ\nv\t(l={foo})\tV\nw\t(l=\\c3)\tW\n')],
  [`${HEADER}<a> ::= 'x' table t\n`, { t: '# nothing\n' }],
  [`${HEADER}<a> ::= <b> label "{text.colour} {b.colour} {where}"\n<b> ::= table t\n`, towns('x\t\tX\n')],
  [`${HEADER}<a> ::= 'x' label "{}" | 'y' label "{text|shout}" | 'z' filter (l={)\n`],
  [`${HEADER}<a> ::= <b> <c> <d> <e>\n<b> ::= /[z-a]/\n<c> ::= /a{100}/\n<d> ::= /(a)\\1/\n<e> ::= /^a/\n`],
  // Filters that are not RFC 4515 text, each where a filter stands.
  [
    `${HEADER}${RULE}rights send\n${['(&)', '(=x)', '(cn:dn:=x)', '(a>=x*)', '(a=x**y)', '(a=\\c3)', '(a=(b))', '(a=\\zz)', '(&(a=x)b)', '(ti tle=chef)']
      .map((f) => `  allow if sender matches ${f}\n`)
      .join('')}`,
  ],
  [`${HEADER}<a> ::= table t\n`, towns('x\t(l=x\tX\ny\t(l=y)(m=y)\tY\nz\t(l=\0)\tZ\n')],
  // Names read in too many ways.
  [`${HEADER}<a> ::= 'x' <b>\n<b> ::= 'y' | '(' <a> ')'\n`],
  [`${HEADER}<a> ::= 'e.' <x>\n<x> ::= /(a*)*b/\n`],
  [`${HEADER}<a> ::= 'e.' <x>\n<x> ::= /(a+)+b/\n`],
  [`${HEADER}<a> ::= 'e.' <x>\n<x> ::= /(a|aa)+/\n`],
  [`${HEADER}<a> ::= 'e.' <x>\n<x> ::= /\\d+\\d+/\n`],
  [`${HEADER}<a> ::= 'p.' <x>+ separated by '.'\n<x> ::= /[a-z.]+/\n`],
  [`${HEADER}<a> ::= 'p.' <x>+ separated by '.'\n<x> ::= /(a{0,64})?/\n`],
  [`${HEADER}<a> ::= 'list.' [<x>]+ separated by ''\n<x> ::= 'y'\n`],
  [`${HEADER}<a> ::= 'list.' <x>+\n<x> ::= table t\n`, towns('ab\t(l=ab)\tab\nabab\t(l=abab)\tabab\n')],
  [`${HEADER}<a> ::= <b> ['-' <c>]\n<b> ::= /[a-z-]+/\n<c> ::= /[a-z-]+/\n`],
  [`${HEADER}<a> ::= 'l.' [<x>+]+\n<x> ::= 'a'\n`],
  // Conditions, rights, moderation.
  [
    `${HEADER}${RULE}condition chef = dkim maybe\ncondition chef = anyone\ncondition a = anyone label " "\ncondition b = anyone label "{x}"\nrights post\n  otherwise allow\nrights send\n  allow if @nobody\n  moderate by @chefs if anyone\n  moderate by "a b" if anyone\nrights send closed\nrights review\n  moderate by @owners if anyone\n`,
  ],
  // Examples.
  [`${HEADER}${XYZ}example xq => (b=y)\nexample x => (b=y)\nexample xyz => (b=y)\nexample xy => (b=z)\nrefuse xz\nexample xy@other.example.org => (b=y)\n`],
  [`${HEADER}<a> ::= <b> [<c>]\n<b> ::= 'x' | 'xy' filter (b=1)\n<c> ::= 'y' filter (c=1)\nexample xy => (b=1)\n`],
  [`${HEADER}<a> ::= 'd' /[0-9]+/ in 1..95\nexample d99 => (objectClass=*)\n`],
  // Repetitions: exclusive sets, a word twice, two that exclude each other, another order.
  [`${HEADER}<a> ::= 'l.' <x>+ separated by '.' exclusive y, y exclusive y, q\n<x> ::= 'y' | 'z'\n`],
  [`${HEADER}<a> ::= 'l.' <x>+ separated by '.' exclusive y, z\n<x> ::= 'y' | 'z' | 'w'\nexample l.y.y => (objectClass=*)\nexample l.y.z => (objectClass=*)\nexample l.w.y => (objectClass=*)\n`],
  [`${HEADER}<a> ::= 'l.' <x>+ separated by '.' in canonical order\n<x> ::= 'y' | 'w'\nexample l.w.y => (objectClass=*)\n`],
];

/** Problems the corpus cannot raise, and why. */
const UNREACHED: Record<string, string> = {
  'syntax.this': 'a syntax error the parser reports without a token: the lexer gives every text a token',
  'ambiguity.too-large': 'a grammar past 200,000 characters: too slow to build in a test',
  'example.too-complex': 'an example past the parse budget in a grammar the ambiguity check accepts',
  'construct.start': 'the start is never to blame: every finding names a construct of the charter',
  // Named in findings that no small charter tried here reaches (a repetition repeating a plain step,
  // a construct blamed outside any loop): their words are checked by type only.
  'ambiguity.loop-of-part': 'no charter found',
  'construct.in-rule': 'no charter found',
  'construct.optional': 'no charter found',
  'construct.separator': 'no charter found',
};

function diagnosticsOf(text: string, lexicons: Record<string, string> = {}): Diagnostic[] {
  try {
    family(text, lexicons);
  } catch (error) {
    if (error instanceof CharterError) return error.diagnostics;
    throw error;
  }
  assert.fail(`the charter compiled:\n${text}`);
}

function corpus(): Diagnostic[] {
  const found = CORPUS.flatMap(([text, lexicons]) => diagnosticsOf(text, lexicons));
  for (const refused of [() => familySource('empty', {}), () => compileSharedConditions('conditions.charter', `${RULE}condition a = member of "x-{b}"\n`)]) {
    assert.throws(refused, (error: unknown) => error instanceof CharterError && found.push(...error.diagnostics) > 0);
  }
  return found;
}

/** Every key a message uses, its nested messages' too. */
function keysOf(message: CharterMessage): string[] {
  const nested = Object.values(message.values ?? {}).flatMap((v) => (typeof v === 'object' ? (Array.isArray(v) ? v : [v]) : []));
  return [message.key, ...nested.flatMap((v) => (typeof v === 'string' ? [] : keysOf(v as CharterMessage)))];
}

describe('the charter messages', () => {
  const found = corpus();

  it('say every problem of the corpus in French and in English, at the same place', () => {
    for (const d of found) {
      const [english, french] = [formatDiagnostic(d, 'en'), formatDiagnostic(d, 'fr')];
      assert.equal(english, `${d.file}:${d.line}:${d.col}: ${d.message}`, 'the English words are the diagnostic message');
      assert.notEqual(french, english, `not in French: ${english}`);
      assert.ok(french.startsWith(`${d.file}:${d.line}:${d.col}: `), french);
    }
  });

  it('have an entry for every problem the compiler raises, and the corpus raises each of them', () => {
    const raised = new Set(found.flatMap(keysOf));
    const catalog = Object.keys(charterCatalog.en);
    for (const key of raised) assert.ok(catalog.includes(key), `no catalog entry for ${key}`);
    const missing = catalog.filter((key) => !raised.has(key) && !(key in UNREACHED));
    assert.deepEqual(missing, [], 'keys of the catalog that no charter of the corpus raises: add a charter that does');
    for (const key of Object.keys(UNREACHED)) assert.ok(!raised.has(key), `${key} is raised: take it out of UNREACHED`);
  });

  it('quote notation as the charter writes it and braces as written', () => {
    const text = (key: string, language: 'en' | 'fr'): string | undefined => found.map((d) => formatDiagnostic(d, language)).find((_, i) => (found[i] as Diagnostic).key === key);
    assert.match(text('condition.label-placeholder', 'fr') ?? '', /l’étiquette d’une condition est du texte simple : elle n’a pas de \{variables\}$/);
    assert.match(text('ambiguity.exponential-separator', 'fr') ?? '', /peut contenir le séparateur '\.', donc/);
    assert.match(text('rule.entry-placeholder', 'en') ?? '', /"v": a lexicon entry may only use \{text\}, not \{foo\}$/);
  });
});
