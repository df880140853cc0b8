import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DirectoryDataError, EmbeddedDirectory } from '../../src/directory/index.js';
import { parseLdif } from '../../src/directory/embedded/index.js';

/** The DirectoryDataError that parsing `text` throws. */
function failure(text: string | Buffer): DirectoryDataError {
  try {
    parseLdif(text, 'people.ldif');
  } catch (error) {
    assert.ok(error instanceof DirectoryDataError, String(error));
    return error;
  }
  assert.fail('the LDIF was accepted');
}

describe('LDIF parsing', () => {
  it('reads records: DN, attributes in order, several values per attribute, the line of each record', () => {
    const records = parseLdif('version: 1\n\ndn: uid=a,dc=example,dc=org\nobjectClass: inetOrgPerson\nmail: a@example.org\nmail: A2@example.org\n\n\ndn: uid=b,dc=example,dc=org\ncn:   b\n');
    assert.deepEqual(records, [
      {
        dn: 'uid=a,dc=example,dc=org',
        line: 3,
        attributes: [
          ['objectClass', 'inetOrgPerson'],
          ['mail', 'a@example.org'],
          ['mail', 'A2@example.org'],
        ],
      },
      { dn: 'uid=b,dc=example,dc=org', line: 9, attributes: [['cn', 'b']] },
    ]);
  });

  it('decodes base64 values and DNs as UTF-8, and keeps a binary value in base64', () => {
    const dn = Buffer.from('cn=Hélène,dc=example,dc=org').toString('base64');
    const [record] = parseLdif(`dn:: ${dn}\ncn:: ${Buffer.from('Hélène').toString('base64')}\ndescription:: ICBlc3BhY2VzICA=\njpegPhoto:: /9j/4A==\n`);
    assert.equal(record?.dn, 'cn=Hélène,dc=example,dc=org');
    assert.deepEqual(record?.attributes, [
      ['cn', 'Hélène'],
      ['description', '  espaces  '],
      ['jpegPhoto', '/9j/4A=='],
    ]);
  });

  it('keeps a U+FEFF that begins a value, and skips a byte order mark that begins the file', () => {
    const value = '\uFEFFdébut';
    const ldif = `dn: uid=b,dc=example,dc=org\ndescription:: ${Buffer.from(value).toString('base64')}\ncn: ${value}\n`;
    const expected = [
      ['description', value],
      ['cn', value],
    ];
    assert.deepEqual(parseLdif(Buffer.from(ldif))[0]?.attributes, expected);
    assert.deepEqual(parseLdif(ldif)[0]?.attributes, expected);
    for (const file of [Buffer.from(`\uFEFF${ldif}`), `\uFEFF${ldif}`]) {
      const [record] = parseLdif(file);
      assert.equal(record?.dn, 'uid=b,dc=example,dc=org');
      assert.deepEqual(record?.attributes, expected);
    }
  });

  it('joins folded lines, of values and of comments, with LF or CRLF line ends', () => {
    const text = '# a comment\n  folded on\ndn: uid=long,dc=exa\n mple,dc=org\r\ndescription: one two\n  three\r\nmail:: Y\n 2hlZkBleGFtcGxlLm9yZw==\n';
    const [record] = parseLdif(text);
    assert.equal(record?.dn, 'uid=long,dc=example,dc=org');
    assert.deepEqual(record?.attributes, [
      ['description', 'one two three'],
      ['mail', 'chef@example.org'],
    ]);
  });

  it('unfolds the bytes of a file before decoding them: a fold may split a UTF-8 character', () => {
    const line = Buffer.from('cn: Gaëlle', 'utf8');
    const split = line.indexOf(0xc3) + 1; // between the two bytes of ë
    const file = Buffer.concat([Buffer.from('dn: uid=g,dc=example,dc=org\n'), line.subarray(0, split), Buffer.from('\n '), line.subarray(split), Buffer.from('\n')]);
    assert.deepEqual(parseLdif(file)[0]?.attributes, [['cn', 'Gaëlle']]);
  });

  it('accepts a record holding its DN alone, as ldapsearch prints an entry without the attributes asked', () => {
    assert.deepEqual(
      parseLdif('dn: uid=a,dc=example,dc=org\n\ndn: uid=b,dc=example,dc=org\nmail: b@example.org\n').map((r) => r.attributes.length),
      [0, 1],
    );
  });

  const errors: [string, string | Buffer, number, RegExp][] = [
    ['a line without a colon', 'dn: uid=a,dc=example,dc=org\nobjectClass: top\nmail a@example.org\n', 3, /expected "attribute: value"/],
    ['a continuation line that follows nothing', 'dn: uid=a,dc=example,dc=org\nobjectClass: top\n\n continued\n', 4, /continuation line/],
    ['a record that does not start with dn:', 'dn: uid=a,dc=example,dc=org\nobjectClass: top\n\nmail: b@example.org\n', 4, /must start with "dn:"/],
    ['a change record', 'dn: uid=a,dc=example,dc=org\nchangetype: add\nobjectClass: top\n', 2, /change records are not supported/],
    ['a URL value', 'dn: uid=a,dc=example,dc=org\njpegPhoto:< file:///tmp/photo.jpg\n', 2, /URL values/],
    ['invalid base64', 'dn: uid=a,dc=example,dc=org\n\n\ndn: uid=b,dc=example,dc=org\ncn:: not*base64\n', 5, /invalid base64 value of "cn"/],
    ['an invalid attribute description', 'dn: uid=a,dc=example,dc=org\nob_ject: top\n', 2, /invalid attribute description "ob_ject"/],
    ['an unsupported version', 'version: 2\ndn: uid=a,dc=example,dc=org\n', 1, /unsupported LDIF version/],
    ['bytes that are not UTF-8', Buffer.from('dn: uid=a,dc=example,dc=org\ncn: Ga\xebl\n', 'latin1'), 2, /not UTF-8/],
  ];
  for (const [what, text, line, reason] of errors) {
    it(`refuses ${what}, naming the file and line ${line}`, () => {
      const error = failure(text);
      assert.equal(error.line, line);
      assert.equal(error.file, 'people.ldif');
      assert.match(error.message, new RegExp(`^people\\.ldif:${line}: `));
      assert.match(error.message, reason);
      assert.equal(error.code, 'DIRECTORY_DATA_INVALID');
      assert.equal(error.temporary, false);
    });
  }
});

describe('loading an embedded directory', () => {
  const entry = (dn: string, ...lines: string[]): string => [`dn: ${dn}`, ...lines, ''].join('\n');

  const refused: [string, string, number, RegExp][] = [
    ['an invalid DN', `${entry('dc=example,dc=org', 'objectClass: domain')}\n${entry('uid=a,,dc=org', 'objectClass: top')}`, 4, /invalid DN "uid=a,,dc=org"/],
    [
      'the same entry twice (DNs compared by their matching rules)',
      `${entry('uid=a,dc=example,dc=org', 'objectClass: top')}\n${entry('UID=A , DC=Example,dc=org', 'objectClass: top')}`,
      4,
      /duplicate entry/,
    ],
    ['an entry without objectClass', entry('uid=a,dc=example,dc=org', 'cn: a'), 1, /has no objectClass/],
  ];
  for (const [what, text, line, reason] of refused) {
    it(`refuses ${what}, naming the line`, () => {
      assert.throws(
        () => EmbeddedDirectory.fromLdif(text, 'people.ldif'),
        (error: unknown) => error instanceof DirectoryDataError && error.line === line && reason.test(error.message),
      );
    });
  }

  it('says which file cannot be read', async () => {
    await assert.rejects(EmbeddedDirectory.load('/nonexistent/directory.ldif'), (error: unknown) => {
      assert.ok(error instanceof DirectoryDataError);
      assert.equal(error.line, undefined);
      assert.match(error.message, /^\/nonexistent\/directory\.ldif: cannot read the file \(ENOENT\)/);
      return true;
    });
  });
});
