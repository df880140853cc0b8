import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineMessages, languageOfEnvironment, languageOfLocale } from '../../src/i18n/index.js';

describe('message templates', () => {
  const t = defineMessages({
    en: { members: '{list} has {count, plural, one {# member} other {# members}}', quoted: 'reply to <{address}>' },
    fr: { members: '{list} a {count, plural, one {# membre} other {# membres}}', quoted: 'répondez à <{address}> ; l’annuaire' },
  });

  it('formats each language with its plural rules', () => {
    assert.equal(t('en', 'members', { list: 'liste.chefs-56', count: 1 }), 'liste.chefs-56 has 1 member');
    assert.equal(t('fr', 'members', { list: 'liste.chefs-56', count: 0 }), 'liste.chefs-56 a 0 membre');
    assert.equal(t('fr', 'members', { list: 'liste.chefs-56', count: 2 }), 'liste.chefs-56 a 2 membres');
  });

  it('leaves angle brackets and apostrophes as they are', () => {
    assert.equal(t('fr', 'quoted', { address: 'a@example.org' }), 'répondez à <a@example.org> ; l’annuaire');
  });

  it('refuses a broken template when the catalog is defined, not when it is first used', () => {
    assert.throws(() => defineMessages({ en: { broken: '{unclosed' }, fr: { broken: 'ok' } }));
  });

  it('fails on a value the template needs and was not given', () => {
    assert.throws(() => t('en', 'members', { list: 'x' }));
  });
});

describe('the language of a locale', () => {
  it('is French for fr locales and English otherwise', () => {
    assert.equal(languageOfLocale('fr_FR.UTF-8'), 'fr');
    assert.equal(languageOfLocale('fr'), 'fr');
    assert.equal(languageOfLocale('en_US.UTF-8'), 'en');
    assert.equal(languageOfLocale('C'), 'en');
    assert.equal(languageOfLocale(undefined), 'en');
    assert.equal(languageOfLocale('de_DE.UTF-8'), 'en');
  });

  it('reads LC_ALL before LC_MESSAGES before LANG', () => {
    assert.equal(languageOfEnvironment({ LANG: 'fr_FR.UTF-8' }), 'fr');
    assert.equal(languageOfEnvironment({ LANG: 'fr_FR.UTF-8', LC_MESSAGES: 'en_GB.UTF-8' }), 'en');
    assert.equal(languageOfEnvironment({ LANG: 'en_GB.UTF-8', LC_ALL: 'fr_CA.UTF-8' }), 'fr');
  });
});
