export { isLanguage, LANGUAGES, type Language, languageOfEnvironment, languageOfLocale } from './language.js';
export { type Catalog, defineMessages, type MessageValues, type Translate } from './messages.js';
