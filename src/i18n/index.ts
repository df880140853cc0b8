export { shownDate } from './dates.js';
export { foldText } from './fold.js';
export { isLanguage, LANGUAGES, type Language, languageOfEnvironment, languageOfLocale } from './language.js';
export { type Catalog, defineMessages, type MessageValues, type Translate } from './messages.js';
export { formatMessage, type Message, type MessageArgument } from './structured.js';
