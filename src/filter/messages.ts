import { defineMessages, formatMessage, type Message } from '../i18n/index.js';

/**
 * Why filter text or a template cannot be read. The charter's catalog takes these in (a charter
 * check reports them at their place), so keys are prefixed to stay apart from its own.
 * In ICU templates a straight apostrophe before a brace quotes it: `'{text}'` prints {text}.
 */
const en = {
  'filter.invalid': 'invalid LDAP filter at column {column}: {reason}',
  'filter.expected-character': 'expected "{expected}", found {found}',
  'filter.the-end': 'the end',
  'filter.text-after-end': 'text after the end of the filter',
  'filter.empty-set': '"{operator}" needs at least one filter inside',
  'filter.expected-attribute': 'expected an attribute name',
  'filter.extensible-match': 'extensible match filters are not supported',
  'filter.expected-operator': 'expected "=", "~=", ">=" or "<=" after "{attribute}"',
  'filter.star-outside-equality': '"*" is only allowed in equality and substring filters',
  'filter.double-star': '"**" is not allowed in a substring filter',
  'filter.hex-not-utf8': 'hex escapes that are not UTF-8',
  'filter.unescaped-parenthesis': 'unescaped "(" in a value (write \\28)',
  'filter.nul': 'NUL in a value (write \\00)',
  'filter.bad-escape': '"\\" must be followed by two hex digits',
  'filter.literal-brace': '{problem} (write \\7b for a literal brace)',
  'template.expected-placeholder': "expected a placeholder such as '{text}', '{town}' or '{region.label|upper}'",
  'template.unknown-transform': 'unknown transform "{transform}" (known: {known})',
} as const;

export type FilterMessageKey = keyof typeof en;

const fr: Record<FilterMessageKey, string> = {
  'filter.invalid': 'filtre LDAP invalide à la colonne {column} : {reason}',
  'filter.expected-character': '"{expected}" attendu, trouvé {found}',
  'filter.the-end': 'la fin',
  'filter.text-after-end': 'du texte après la fin du filtre',
  'filter.empty-set': '"{operator}" demande au moins un filtre à l’intérieur',
  'filter.expected-attribute': 'nom d’attribut attendu',
  'filter.extensible-match': 'les filtres à correspondance extensible ne sont pas pris en charge',
  'filter.expected-operator': 'opérateur "=", "~=", ">=" ou "<=" attendu après "{attribute}"',
  'filter.star-outside-equality': '"*" n’est permis que dans les filtres d’égalité et de sous-chaîne',
  'filter.double-star': '"**" n’est pas permis dans un filtre de sous-chaîne',
  'filter.hex-not-utf8': 'des échappements hexadécimaux qui ne sont pas de l’UTF-8',
  'filter.unescaped-parenthesis': 'parenthèse "(" non échappée dans une valeur (écrivez \\28)',
  'filter.nul': 'NUL dans une valeur (écrivez \\00)',
  'filter.bad-escape': '"\\" doit être suivi de deux chiffres hexadécimaux',
  'filter.literal-brace': '{problem} (écrivez \\7b pour une accolade littérale)',
  'template.expected-placeholder': "variable attendue, par exemple '{text}', '{town}' ou '{region.label|upper}'",
  'template.unknown-transform': 'transformation inconnue "{transform}" (connues : {known})',
};

/** The filter's messages in both languages, for a catalog that takes them in. */
export const filterCatalog = { en, fr };

export type FilterMessage = Message<FilterMessageKey>;

const t = defineMessages(filterCatalog);

/** A filter message in English: the text of the errors' `message`, for logs and the HTTP API. */
export function inEnglish(message: FilterMessage): string {
  return formatMessage(t, 'en', message);
}
