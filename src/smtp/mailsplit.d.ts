/** The parts of mailsplit (which ships no types) that autolist uses. */
declare module 'mailsplit' {
  import { Transform } from 'node:stream';

  export class Headers {
    constructor(headers: Buffer | string);
    /** Whole header lines (key included), folded as written. */
    get(key: string): string[];
    /** The first value, unfolded (encoded words left as they are), its bytes as a latin1 ('binary') string. */
    getFirst(key: string): string;
    hasHeader(key: string): boolean;
    /** Adds a header (a Buffer is taken byte for byte); at the top without an index, at the end with an index past the last line. */
    add(key: string, value: string | Buffer, index?: number): void;
    /** Adds a whole header line (`Key: value`, folds included) as given, a latin1 ('binary') string; at the top for an index below 1. */
    addFormatted(key: string, line: string, index?: number): void;
    /** Replaces every value of the key by one, where the last one stood. */
    update(key: string, value: string | Buffer): void;
    remove(key: string): void;
    getList(): Array<{ key: string; line: string }>;
    /** The header block: the bytes as received while nothing changed, else rebuilt with CRLF. */
    build(): Buffer;
  }

  export interface MimeNode {
    type: 'node';
    root: boolean;
    headers: Headers;
    contentType: string | false;
    multipart: string | false;
    getHeaders(): Buffer;
    /** A stream that decodes the node's body (base64, quoted-printable) as 'body' chunks are written to it. */
    getDecoder(): Transform;
  }

  export type SplitterChunk = MimeNode | { type: 'body' | 'data'; value: Buffer; node?: MimeNode };

  export class Splitter extends Transform {
    constructor(options?: { ignoreEmbedded?: boolean; maxHeadSize?: number });
  }
}
