import libmime from 'libmime';
import type { Headers } from 'mailsplit';
import { foldText } from '../i18n/index.js';
import { TOKEN_SHAPE } from '../links/index.js';

/** What a mail to LIST-request asks, in English or French, as Sympa reads its commands too. */
export type RequestCommand = 'subscribe' | 'unsubscribe' | 'help';

/** Lines of the body read, at most, after the subject: the work is bounded whatever is sent. */
const MAX_BODY_LINES = 5;
/** Bytes of the body read, at most. */
const MAX_BODY_BYTES = 4096;

/** The words that start a command (accents, case and the apostrophe's form ignored); what follows (a list name) is not read. */
const WORDS: Record<string, RequestCommand> = {
  subscribe: 'subscribe',
  sub: 'subscribe',
  join: 'subscribe',
  abonnement: 'subscribe',
  abonner: 'subscribe',
  "s'abonner": 'subscribe',
  inscription: 'subscribe',
  unsubscribe: 'unsubscribe',
  unsub: 'unsubscribe',
  signoff: 'unsubscribe',
  leave: 'unsubscribe',
  desabonnement: 'unsubscribe',
  desabonner: 'unsubscribe',
  'se desabonner': 'unsubscribe',
  desinscription: 'unsubscribe',
  help: 'help',
  aide: 'help',
  info: 'help',
};

/** The texts a command or token is looked for in: the subject, then the first few lines of the body that are not quotes. */
export function requestLines(headers: Headers, body: Buffer): string[] {
  const subject = libmime
    .decodeWords(
      Buffer.from(headers.getFirst('subject'), 'binary')
        .toString('utf8')
        .replace(/\r?\n[ \t]+/g, ' '),
    )
    .trim();
  const lines = body
    .subarray(0, MAX_BODY_BYTES)
    .toString('utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('>'))
    .slice(0, MAX_BODY_LINES);
  return [subject, ...lines];
}

/** The first command of the lines (a reply's `Re:` ignored), or undefined. */
export function commandOf(lines: readonly string[]): RequestCommand | undefined {
  for (const line of lines) {
    const words = foldText(line)
      .replace(/^(re|tr|fw|fwd|aw)\s*:\s*/, '')
      .split(/\s+/);
    const command = WORDS[words.slice(0, 2).join(' ')] ?? WORDS[words[0] ?? ''];
    if (command !== undefined) return command;
  }
  return undefined;
}

/** Strings shaped as a signed token, in order. */
export function tokensIn(lines: readonly string[]): string[] {
  return lines.flatMap((line) => line.match(TOKEN_SHAPE) ?? []);
}
