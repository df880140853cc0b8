import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Headers } from 'mailsplit';
import type { ListDefinition } from '../../src/charter/list.js';
import { setListHeaders, type ListHeaderOptions } from '../../src/smtp/list-headers.js';
import { readMessage } from '../../src/smtp/message.js';
import { holds, holdsAsync } from '../harness/property.js';

/** Text an outsider or a family author controls: any character, line ends, controls and what UTF-8 folding trips on (à is C3 A0). */
const anyText = (maxLength: number): fc.Arbitrary<string> =>
  fc.string({
    unit: fc.oneof(
      { weight: 4, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
      { weight: 3, arbitrary: fc.constantFrom(' ', '  ', '\t', 'à', 'é', '\u00a0', '\r', '\n', '\r\n', '\v', '\f', '\0', '\x85', '\u2028', '"', '\\', '=?utf-8?q?x?=', ':', ';', '<', '>', '@', ',') },
      { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z0-9]{1,12}$/) },
    ),
    maxLength,
  });

/** A header value as a sender writes it: any bytes but CR and LF, folded with CRLF and a blank before some blanks. */
const senderValue = fc.tuple(anyText(120), fc.array(fc.nat(), { maxLength: 3 }), fc.constantFrom(' ', '\t')).map(([text, folds, blank]) => {
  const bytes = Buffer.from(text.replace(/[\r\n]/g, ''), 'utf8').toString('binary');
  let out = '';
  const at = new Set(folds.map((f) => f % (bytes.length + 1)));
  for (let i = 0; i < bytes.length; i++) out += (at.has(i) && i > 0 && (bytes[i] === ' ' || bytes[i] === '\t') ? '\r\n' : '') + bytes[i];
  // No continuation line of blanks only: RFC 5322 folds before a blank that something follows.
  return (blank + out).replace(/^[ \t]*/, ' ').replace(/\r\n[ \t]*(?=\r\n|$)/g, '');
});

interface Case {
  list: ListDefinition;
  options: ListHeaderOptions;
  /** The sender's header block, CRLF line ends and the blank line included, as bytes. */
  header: Buffer;
  body: Buffer;
}

const caseArbitrary: fc.Arbitrary<Case> = fc
  .record({
    description: anyText(60),
    subject: anyText(30),
    name: fc.oneof(fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,40}$/), anyText(20)),
    priority: fc.integer({ min: 1, max: 9 }),
    options: fc.record({ hasOwners: fc.boolean(), rewriteFrom: fc.boolean(), postingClosed: fc.boolean(), unsubscribeOpen: fc.boolean() }),
    from: fc.option(senderValue, { freq: 6 }),
    originalSubject: fc.option(senderValue, { freq: 4 }),
    replyTo: fc.option(senderValue, { freq: 3 }),
    others: fc.array(fc.tuple(fc.constantFrom('X-Other', 'Message-ID', 'List-Id', 'X-Loop', 'Received', 'Precedence'), senderValue), { maxLength: 4 }),
    body: fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
      anyText(200).map((t) => Buffer.from(t, 'utf8')),
    ),
  })
  .map((c) => {
    const lines = [
      ...(c.from === null ? [] : [`From:${c.from}`]),
      ...c.others.map(([k, v]) => `${k}:${v}`),
      ...(c.originalSubject === null ? [] : [`Subject:${c.originalSubject}`]),
      ...(c.replyTo === null ? [] : [`Reply-To:${c.replyTo}`]),
      'Date: Mon, 23 Nov 2026 10:00:00 +0000',
    ];
    const list = {
      address: `${c.name}@lists.example.org`,
      name: c.name,
      domain: 'lists.example.org',
      description: c.description,
      subject: c.subject,
      priority: c.priority,
      family: 'liste',
    } as ListDefinition;
    return { list, options: c.options, header: Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'binary'), body: c.body };
  });

/** The header block's lines, checked: CRLF only, each line a header start or a continuation (a blank, then something). */
function headerLines(block: Buffer): Array<{ key: string; line: string }> {
  const text = block.toString('binary');
  assert.ok(text.endsWith('\r\n\r\n'), 'the block ends with an empty line');
  assert.doesNotMatch(text, /\r(?!\n)|(?<!\r)\n/, `a bare CR or LF in ${JSON.stringify(text)}`);
  const headers: Array<{ key: string; line: string }> = [];
  for (const line of text.slice(0, -4).split('\r\n')) {
    if (/^[ \t]/.test(line)) {
      assert.ok(headers.length > 0, 'a continuation line first');
      assert.match(line, /[^ \t]/, `a continuation line of blanks only in ${JSON.stringify(text)}`);
      (headers[headers.length - 1] as { line: string }).line += `\r\n${line}`;
      continue;
    }
    const key = /^([!-9;-~]+):/.exec(line)?.[1];
    assert.ok(key !== undefined, `${JSON.stringify(line)} is neither a header nor a continuation, in ${JSON.stringify(text)}`);
    headers.push({ key: key.toLowerCase(), line });
  }
  return headers;
}

/** The headers setListHeaders writes, and how many of each there must be. */
function written(c: Case, original: Array<{ key: string }>): Map<string, number> {
  const count = new Map<string, number>([
    ['list-id', 1],
    ['list-post', 1],
    ['list-help', 1],
    ['list-owner', c.options.hasOwners ? 1 : 0],
    ['list-unsubscribe', c.options.unsubscribeOpen ? 1 : 0],
    ['precedence', 1],
    ['x-priority', 1],
    ['mmhs-primary-precedence', 1],
  ]);
  const had = (key: string): boolean => original.some((h) => h.key === key);
  if (c.list.subject !== '' || had('subject')) count.set('subject', 1);
  if (c.options.rewriteFrom) count.set('from', 1);
  return count;
}

describe('the headers a list writes', () => {
  it('are each one header, CRLF-folded before a blank only, whatever the description, tag, name and sender; other headers stay byte for byte', () => {
    holds(
      fc.property(caseArbitrary, (c) => {
        const before = headerLines(c.header);
        const headers = new Headers(c.header);
        setListHeaders(headers, c.list, c.options);
        const after = headerLines(headers.build());
        for (const [key, n] of written(c, before)) assert.equal(after.filter((h) => h.key === key).length, n, key);
        // What a list does not write is left as the sender wrote it, in order.
        const untouched = (hs: Array<{ key: string; line: string }>): string[] =>
          hs.filter((h) => !written(c, before).has(h.key) && !['x-loop', 'reply-to', 'received'].includes(h.key)).map((h) => h.line);
        assert.deepEqual(untouched(after), untouched(before));
        // The description stays inside its phrase: one quoted string, or atoms and encoded words (atoms too), nothing after the list's identifier.
        const listId = after.find((h) => h.key === 'list-id')?.line.replace(/\r\n([ \t])/g, '$1') ?? '';
        const identifier = Buffer.from(`${c.list.name}.${c.list.domain}`)
          .toString('binary')
          .replace(/[\0-\x08\x0a-\x1f\x7f]/g, ' ');
        assert.ok(listId.endsWith(` <${identifier}>`), listId);
        assert.match(listId.slice(0, -identifier.length - 3), /^List-Id: (?:"(?:[^"\\]|\\.)*"|[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ \t]*)$/);
      }),
      { numRuns: 1500 },
    );
  });

  it('the body is kept byte for byte: the header is read off the message, edited, and the body follows untouched', async () => {
    await holdsAsync(
      fc.asyncProperty(caseArbitrary, fc.array(fc.nat(), { maxLength: 4 }), async (c, cuts) => {
        const raw = Buffer.concat([c.header, c.body]);
        const points = [...new Set(cuts.map((p) => p % (raw.length + 1)))].sort((a, b) => a - b);
        const chunks = [...points, raw.length].map((p, i, all) => raw.subarray(i === 0 ? 0 : (all[i - 1] as number), p));
        const message = await readMessage(Readable.from(chunks), 10_000_000, 'en');
        assert.ok(message.raw.equals(raw));
        assert.ok(message.headerBytes.equals(c.header), 'the header block as sent');
        assert.ok(message.body.equals(c.body), 'the body as sent');
        // As the SMTP front makes each list's copy: the edited header, then the body.
        const headers = new Headers(message.headerBytes);
        setListHeaders(headers, c.list, c.options);
        const copy = Buffer.concat([headers.build(), message.body]);
        assert.ok(copy.subarray(copy.length - c.body.length).equals(c.body));
      }),
      { numRuns: 400 },
    );
  });

  describe('counter-examples found by the properties above', () => {
    const list = { address: 'liste.x@lists.example.org', name: 'liste.x', domain: 'lists.example.org', description: 'd', subject: '[x]', priority: 5, family: 'liste' } as ListDefinition;
    const options: ListHeaderOptions = { hasOwners: false, rewriteFrom: false, postingClosed: false, unsubscribeOpen: false };
    const edit = (header: string, changes: Partial<ListDefinition> = {}, more: Partial<ListHeaderOptions> = {}): Buffer => {
      const headers = new Headers(Buffer.from(header, 'utf8'));
      setListHeaders(headers, { ...list, ...changes }, { ...options, ...more });
      return headers.build();
    };

    it('a long 8-bit subject with "à" (C3 A0) is folded before a space, never between the two bytes', () => {
      const subject = 'Réunion à Paris '.repeat(8).trim();
      const out = edit(`Subject: ${subject}\r\n\r\n`);
      headerLines(out);
      const line = /^Subject: .*(?:\r\n[ \t].*)*/m.exec(out.toString('binary'))?.[0].replace(/\r\n(?=[ \t])/g, '') ?? '';
      assert.match(out.toString('binary'), /^Subject: .*\r\n[ \t]/m, 'folded');
      assert.equal(Buffer.from(line, 'binary').toString('utf8'), `Subject: [x] ${subject}`);
    });

    it('a subject tag or description with a bare CR or LF writes no line break', () => {
      headerLines(edit('Subject: hello\r\n\r\n', { subject: 'tag\rBcc: x' }));
      headerLines(edit('From: a@example.org\r\n\r\n', { description: 'é a\rBcc: x', subject: 'tag\nBcc: y' }, { rewriteFrom: true }));
    });

    it('a description with "<" and non-ASCII text stays inside its encoded words in List-Id', () => {
      const out = edit('Subject: s\r\n\r\n', { description: 'Liste <evil@example.org>, é' }).toString('binary');
      const listId = /^List-Id: (.*(?:\r\n[ \t].*)*)/m.exec(out)?.[1]?.replace(/\r\n/g, '') ?? '';
      assert.equal(listId.indexOf('<'), listId.lastIndexOf('<'), listId);
      assert.ok(listId.endsWith('<liste.x.lists.example.org>'), listId);
    });
  });
});
