import type { Language } from './language.js';
import type { MessageValues, Translate } from './messages.js';

/**
 * A message not yet put in words: its key in a catalog and its values, some of them messages in
 * turn. Code that must not know its reader's language (the charter compiler, the resolver) says
 * what went wrong this way; the edge (the CLI, a front) puts it in the reader's words.
 */
export interface Message<K extends string = string> {
  key: K;
  values?: Readonly<Record<string, MessageArgument<K>>>;
}

/** A value of a message: text and numbers as they are, a message in the same language, a list of them joined by commas. */
export type MessageArgument<K extends string = string> = string | number | Message<K> | ReadonlyArray<string | Message<K>>;

/** Puts a message in words in `language`, its nested messages first. */
export function formatMessage<K extends string>(t: Translate<K>, language: Language, message: Message<K>): string {
  const values: MessageValues = {};
  for (const [name, value] of Object.entries(message.values ?? {})) {
    values[name] = typeof value === 'string' || typeof value === 'number' ? value : isList(value) ? value.map((v) => words(t, language, v)).join(', ') : formatMessage(t, language, value);
  }
  return t(language, message.key, values);
}

function words<K extends string>(t: Translate<K>, language: Language, value: string | Message<K>): string {
  return typeof value === 'string' ? value : formatMessage(t, language, value);
}

function isList<K extends string>(value: MessageArgument<K>): value is ReadonlyArray<string | Message<K>> {
  return Array.isArray(value);
}
