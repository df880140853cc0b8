import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HEADER, family, problems } from './helpers.js';

const has = (list: string[], pattern: RegExp): void => {
  assert.ok(
    list.some((p) => pattern.test(p)),
    `expected a problem matching ${pattern}, got:\n${list.join('\n')}`,
  );
};

describe('charter syntax errors', () => {
  it('name file:line:column and what was expected', () => {
    has(problems(`${HEADER}<a> ::= 'x' filter title=x)\n`), /^demo\.charter:4:20: unexpected "title=x\)"; expected an LDAP filter in parentheses$/);
    has(problems(`${HEADER}colour blue\n`), /^demo\.charter:4:1: unexpected "colour"; expected one of .*"domain".*a <rule> name/);
    has(problems(`${HEADER}<a> ::=\n`), /^demo\.charter:5:1: unexpected end of file; expected one of "\[", "table", a \/regular expression\/, a <rule> name, a quoted string$/);
    has(problems(`${HEADER}<a> ::= 'x' label "a" label "b"\n`), /4:23: this alternative already has a label/);
    has(problems(`${HEADER}<a> ::= /[0-9]+/ in 9..1\n`), /4:21: the range 9\.\.1 is empty/);
  });
});

describe('charter compile checks', () => {
  it('undefined and unused rules', () => {
    const found = problems(`${HEADER}<a> ::= 'x' <b>\n<c> ::= 'y'\n`);
    has(found, /4:13: <b> is used but not defined/);
    has(found, /5:1: <c> is defined but never used/);
  });

  it('a lexicon missing, malformed or unused', () => {
    has(problems(`${HEADER}<a> ::= table towns\n`), /4:9: no lexicon "towns": expected a file towns\.tsv beside the charter/);
    const malformed = problems(`${HEADER}<a> ::= table towns\n`, { towns: 'token\tfilter\tlabel\nbrest\t(l=brest)\nbrest\t(l=brest)\tBrest\nbrest\t(l=x)\tX\nlorient\t(l=lorient\tLorient\n' });
    has(malformed, /^towns\.tsv:2:1: expected 3 tab-separated columns/);
    has(malformed, /^towns\.tsv:4:1: token "brest" is already defined at line 3/);
    has(malformed, /^towns\.tsv:5:\d+: "lorient": invalid LDAP filter/);
    has(problems(`${HEADER}<a> ::= table towns\n`, { towns: 'token\tlabel\nbrest\tBrest\n' }), /^towns\.tsv:1:1: the header line must name the columns token, filter, label/);
    has(problems(`${HEADER}<a> ::= 'x'\n`, { towns: 'token\tfilter\tlabel\nbrest\t(l=brest)\tBrest\n' }), /^towns\.tsv:1:1: the lexicon "towns" is never used/);
  });

  it('fragments that are not valid filters, at their column', () => {
    has(problems(`${HEADER}<a> ::= 'x' filter (title=chef)(l=x)\n`), /4:32: unexpected "\("; expected one of .*"filter", "label"/);
    has(problems(`${HEADER}<a> ::= 'x' filter (ti tle=chef)\n`), /4:23: invalid LDAP filter at column 4: expected "=", "~=", ">=" or "<=" after "ti"/);
  });

  it('placeholders that name no part, or a missing field', () => {
    has(problems(`${HEADER}<a> ::= 'x' <b> filter (l={town})\n<b> ::= 'y'\n`), /4:9: \{town\} names no part of the grammar here \(parts: text, b\)/);
    has(problems(`${HEADER}<a> ::= <b> label "{b.colour}"\n<b> ::= table t\n`, { t: 'token\tfilter\tlabel\nx\t\tX\n' }), /<b> has no field "colour" \(fields: text, label, token, filter, label\)/);
    has(problems(`${HEADER}description "{where.label}"\n<a> ::= 'x'\n`), /\{where\.label\} names no part of the grammar/);
  });

  it('token classes: unsupported or invalid expressions', () => {
    has(problems(`${HEADER}<a> ::= /(a)\\1/\n`), /4:9: backreference "\\1" is not supported in a token class/);
    has(problems(`${HEADER}<a> ::= /[z-a]/\n`), /4:9: invalid regular expression/);
  });

  it('examples: a wrong filter, a refusal that resolves, an ambiguity naming both readings', () => {
    const base = `${HEADER}<a> ::= 'x' <b>\n<b> ::= 'y' filter (b=y) | 'z'\n`;
    has(problems(`${base}example xy => (b=z)\n`), /6:9: xy compiles to \(b=y\), not \(b=z\)/);
    has(problems(`${base}refuse xz\n`), /6:8: xz must be refused, but it is a list: \(objectClass=\*\)/);
    has(problems(`${base}example xq => (b=y)\n`), /6:9: xq is not a name of this family: at column 2, found "q", expected "y" or "z"/);
    has(
      problems(`${HEADER}<a> ::= <b> <c>\n<b> ::= 'x' | 'xy' filter (b=1)\n<c> ::= 'y' filter (c=1) | ''\nexample xy => (b=1)\n`),
      /xy can be read two ways: <a>#1\{<b>#1\{"x"\} <c>#1\{"y"\}\} and <a>#1\{<b>#2\{"xy"\} <c>#2\{""\}\}|empty literal/,
    );
    has(
      problems(`${HEADER}<a> ::= <b> [<c>]\n<b> ::= 'x' | 'xy' filter (b=1)\n<c> ::= 'y' filter (c=1)\nexample xy => (b=1)\n`),
      /7:9: xy can be read two ways: <a>#1\{<b>#1\{"x"\} \[<c>#1\{"y"\}\]\} and <a>#1\{<b>#2\{"xy"\} \[\]\}/,
    );
  });

  it('rights: unknown action, unknown named condition, a member-of template naming no part', () => {
    const base = `${HEADER}<a> ::= 'x' <b>\n<b> ::= 'y'\n`;
    has(problems(`${base}rights post\n  otherwise allow\n`), /6:8: unknown action "post" \(actions: send, review, subscribe, unsubscribe\)/);
    has(problems(`${base}rights send\n  allow if @chefs\n`), /7:13: no condition named "chefs"/);
    has(problems(`${base}rights send\n  allow if member of "liste.chefs-{where}"\n`), /\{where\} names no part of the grammar here \(parts: text, a, b\)/);
    has(problems(`${base}rights send\n  allow if sender matches (title=)chef)\n`), /invalid LDAP filter|unexpected/);
    has(problems(`${base}rights send closed\nrights send closed\n`), /7:1: rights for "send" are already given at line 6/);
  });

  it('the header: required fields, bad values, a family named after another folder', () => {
    const found = problems(`family other\nscope deep\npriority 12\ndomain not_a_domain\n<a> ::= 'x'\n`);
    has(found, /the header must say "base"/);
    has(found, /2:7: scope must be one of base, one, sub/);
    has(found, /3:10: "priority" must be a whole number from 1 to 9/);
    has(found, /4:8: "not_a_domain" is not a mail domain/);
    has(found, /1:8: the family is called "other" but its folder is "demo"/);
  });
});

describe('a charter that compiles', () => {
  const f = family(
    `${HEADER}description "{who.label|capitalize} in {place}"
subject "[{who}]"
<address> ::= 'list.' <who> ['-' <place>]
<who> ::= <kind>+ separated by '.' matching any
<kind> ::= table kinds
<place> ::= /[a-z]+/ filter (l={text}) label "{text|upper}"
rights send
  allow if all(sender in directory, not sender matches (title=intern), any(sender domain in example.org, authenticated))
  deny if empty sender
  otherwise deny
example list.a.b => (|(k=a)(k=b))
example list.a-paris => (&(k=a)(l=paris))
`,
    { kinds: 'token\tfilter\tlabel\na\t(k=a)\tAs\nb\t(k=b)\tBs\n' },
  );

  it('reads optional parts, repetitions that OR, labels and templates', () => {
    const outcome = f.parse('list.b.a-paris');
    assert.ok(outcome.ok);
    const list = f.define(outcome.root, 'list.b.a-paris', 'lists.example.org');
    assert.equal(list.filterText, '(&(|(k=b)(k=a))(l=paris))');
    assert.equal(list.description, 'Bs As in paris');
    assert.equal(list.subject, '[b.a]');
    assert.deepEqual(list.params, { who: 'b.a', kind: ['b', 'a'], place: 'paris' });
  });

  it('stores the rights rules in order', () => {
    assert.equal(f.rights.send.rules.length, 2);
    assert.equal(f.rights.send.rules[0]?.condition.kind, 'all');
    assert.equal(f.rights.send.rules[1]?.outcome, 'deny');
    assert.equal(f.rights.subscribe.otherwise, 'deny');
  });
});
