import type { Headers } from 'mailsplit';

/** RFC 5322's recommended line length; a longer word stays whole. */
const LINE_LENGTH = 78;

/** Control characters but the tab: none may stand in a header line, CR and LF least of all. */
const CONTROLS = /[\x00-\x08\x0a-\x1f\x7f]/g;

/** Text made fit for one header line: every control character (CR, LF, NUL, ...) becomes a space. */
export function oneLine(text: string): string {
  return text.replace(CONTROLS, ' ');
}

/**
 * `Key: value` as one logical header line, folded with CRLF before a space or tab only. mailsplit's
 * own folding (libmime's foldLines, on the bytes as a latin1 string) also folds before \v, \f and
 * the byte 0xA0, which UTF-8 text is full of ("à" is C3 A0): the continuation line then starts with
 * no blank and the header breaks apart. A Buffer value is taken byte for byte, controls aside.
 */
export function headerLine(key: string, value: string | Buffer): string {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  // Pieces start where a run of blanks starts: a fold goes before a run, never inside it.
  const pieces = oneLine(`${key}: ${bytes.toString('latin1')}`).split(/(?<![ \t])(?=[ \t])/);
  let folded = '';
  let line = '';
  for (const piece of pieces) {
    if (line !== '' && line.length + piece.length > LINE_LENGTH && /[^ \t]/.test(piece)) {
      folded += `${line}\r\n`;
      line = piece;
    } else {
      line += piece;
    }
  }
  return folded + line;
}

/** Adds the header before every other, as trace headers go. */
export function prependHeader(headers: Headers, key: string, value: string | Buffer): void {
  headers.addFormatted(key, headerLine(key, value), 0);
}

/** Adds the header after every other. */
export function appendHeader(headers: Headers, key: string, value: string | Buffer): void {
  headers.addFormatted(key, headerLine(key, value), Number.MAX_SAFE_INTEGER);
}

/** Replaces every header of the key by one, where the first stood (after every other when there was none). */
export function replaceHeader(headers: Headers, key: string, value: string | Buffer): void {
  const index = headers.getList().findIndex((h) => h.key === key.toLowerCase());
  headers.remove(key);
  headers.addFormatted(key, headerLine(key, value), index === -1 ? Number.MAX_SAFE_INTEGER : index);
}
