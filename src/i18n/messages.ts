import { IntlMessageFormat } from 'intl-messageformat';
import { LANGUAGES, type Language } from './language.js';

/** The values a template's `{placeholders}` take. */
export type MessageValues = Record<string, string | number>;

/** Every message of a part of autolist, in every language, under the same keys. */
export type Catalog<K extends string> = Record<Language, Record<K, string>>;

/** Formats the message `key` in `language` with `values`. */
export type Translate<K extends string> = (language: Language, key: K, values?: MessageValues) => string;

/**
 * A part's messages as ICU MessageFormat templates (`{count, plural, one {# membre} other {# membres}}`),
 * all compiled at once so that a broken template fails when its module loads, not when a person
 * first meets it. In templates an apostrophe before `{` or `}` quotes it: French text uses the
 * typographic apostrophe (’), which needs no care. Tags are not read (`<x@y>` stays as it is).
 */
export function defineMessages<K extends string>(catalog: Catalog<K>): Translate<K> {
  const compiled = new Map<string, IntlMessageFormat>();
  for (const language of LANGUAGES) {
    for (const [key, template] of Object.entries(catalog[language]) as [K, string][]) {
      compiled.set(`${language}\0${key}`, new IntlMessageFormat(template, language, undefined, { ignoreTag: true }));
    }
  }
  return (language, key, values) => {
    const format = compiled.get(`${language}\0${key}`);
    if (format === undefined) throw new Error(`no message "${key}" in ${language}`);
    return String(format.format(values));
  };
}
