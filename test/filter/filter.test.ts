import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EqualityFilter } from 'ldapts';
import { applyTransforms, combine, FilterSyntaxError, instantiate, parseFilter, parseFilterTemplate } from '../../src/filter/index.js';

describe('RFC 4515 filters', () => {
  it('parses and prints the usual shapes', () => {
    for (const text of [
      '(title=chef)',
      '(&(title=chef)(departmentNumber=56))',
      '(|(l=brest)(l=lorient))',
      '(!(employeeType=civil))',
      '(mail=*)',
      '(cn=Jean*)',
      '(cn=*an*ma*)',
      '(cn=*tin)',
      '(age>=20)',
      '(age<=99)',
      '(cn~=martin)',
    ]) {
      assert.equal(parseFilter(text).toString(), text);
    }
  });

  it('decodes hex escapes as UTF-8 and prints special characters escaped', () => {
    assert.equal((parseFilter('(cn=H\\c3\\a9l\\c3\\a8ne)') as EqualityFilter).value, 'Hélène');
    assert.equal((parseFilter('(cn=\\ef\\bb\\bfx)') as EqualityFilter).value, '\uFEFFx', 'a U+FEFF that begins the value is kept');
    assert.equal((parseFilter('(cn=a\\2ab\\28\\29\\5c)') as EqualityFilter).value, 'a*b()\\');
    assert.equal(new EqualityFilter({ attribute: 'cn', value: 'a*b()\\\0' }).toString(), '(cn=a\\2ab\\28\\29\\5c\\00)');
  });

  it('refuses invalid filters with the column of the fault', () => {
    const cases: Array<[string, number]> = [
      ['title=chef', 1],
      ['(title=chef', 12],
      ['(&)', 3],
      ['(=chef)', 2],
      ['(title chef)', 7],
      ['(cn=a(b)', 6],
      ['(cn=\\zz)', 5],
      ['(cn:dn:=x)', 4],
      ['(title=chef))', 13],
    ];
    for (const [text, column] of cases) {
      assert.throws(
        () => parseFilter(text),
        (e: unknown) => e instanceof FilterSyntaxError && e.offset + 1 === column,
        text,
      );
    }
  });

  it('fills placeholders with raw text that is escaped on printing', () => {
    const template = parseFilterTemplate('(&(l={town})(cn={text|upper}*))', { placeholders: true });
    const filter = instantiate(template, (p) => (p.part === 'town' ? '*)(uid=*' : 'ab'));
    assert.equal(filter.toString(), '(&(l=\\2a\\29\\28uid=\\2a)(cn=AB*))');
    assert.throws(() => parseFilterTemplate('(l={town|shout})', { placeholders: true }), /unknown transform "shout"/);
    assert.equal(parseFilter('(l={town})').toString(), '(l={town})');
  });

  it('combines filters: AND drops "no restriction", OR is swallowed by it', () => {
    const a = parseFilter('(a=1)');
    const b = parseFilter('(&(b=2)(c=3))');
    assert.equal(combine('and', [a, undefined, b])?.toString(), '(&(a=1)(b=2)(c=3))');
    assert.equal(combine('and', [a])?.toString(), '(a=1)');
    assert.equal(combine('and', [undefined]), undefined);
    assert.equal(combine('or', [a, undefined]), undefined);
  });
});

describe('value transforms', () => {
  it('title-cases place names, particles inside them in lower case', () => {
    const title = (text: string): string => applyTransforms(text, ['title']);
    assert.equal(title('saint-malo'), 'Saint-Malo');
    assert.equal(title('la roche-sur-yon'), 'La Roche-sur-Yon');
    assert.equal(title("villeneuve-d'ascq"), "Villeneuve-d'Ascq");
    assert.equal(title('CHÂLONS-EN-CHAMPAGNE'), 'Châlons-en-Champagne');
  });

  it('capitalizes the first letter only', () => {
    assert.equal(applyTransforms('chefs civils', ['capitalize']), 'Chefs civils');
  });
});
