/** What moderators see of a held message: its From, Subject and Date decoded as people read them, whatever the header's encoding. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { previewOf } from '../../src/moderation/index.js';

/** A message with these header lines (a Buffer line taken byte for byte) and a one-line body. */
function message(...lines: Array<string | Buffer>): Buffer {
  return Buffer.concat([...lines.map((line) => Buffer.concat([Buffer.from(line), Buffer.from('\r\n')])), Buffer.from('\r\nbody\r\n')]);
}

describe('the preview of a held message', () => {
  it('reads a raw 8-bit UTF-8 Subject and From (RFC 6532) as UTF-8, not byte by byte', () => {
    const preview = previewOf(message(Buffer.from('From: Noël Lefèvre <noel@example.org>', 'utf8'), Buffer.from('Subject: Réunion à 10 h — ordre du jour', 'utf8')));
    assert.equal(preview.subject, 'Réunion à 10 h — ordre du jour');
    assert.equal(preview.from, 'Noël Lefèvre <noel@example.org>');
  });

  it('decodes RFC 2047 encoded-words, B and Q, in UTF-8 and ISO-8859-1, joined when adjacent', () => {
    const preview = previewOf(message('From: =?ISO-8859-1?Q?No=EBl?= <noel@example.org>', 'Subject: =?UTF-8?B?UsOpdW5pb24gw6Ag?=', ' =?UTF-8?Q?10_h?= (salle =?utf-8?q?C=C5=93ur?=)'));
    assert.equal(preview.subject, 'Réunion à 10 h (salle Cœur)');
    assert.equal(preview.from, 'Noël <noel@example.org>');
  });

  it('reads raw 8-bit bytes that are not UTF-8 as latin1', () => {
    assert.equal(previewOf(message(Buffer.from('Subject: caf\xe9 cr\xe8me', 'latin1'))).subject, 'café crème');
  });

  it('decodes at most 2,000 characters of a hostile header, however many encoded-words it holds', () => {
    const words = previewOf(message(`Subject: ${'=?utf-8?q?=C3=A9?= '.repeat(20_000)}`)).subject;
    assert.ok(words.length <= 2000 && words.startsWith('éééé'), `${words.length} characters`);
    const unclosed = previewOf(message(`Subject: ${'=?utf-8?B?'.repeat(20_000)}${'x'.repeat(100_000)}`)).subject;
    assert.equal(unclosed.length, 2000);
  });
});
