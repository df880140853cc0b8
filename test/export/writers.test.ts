import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse as parseCsv } from 'csv-parse/sync';
import fc from 'fast-check';
import ICAL from 'ical.js';
import { normalizeDN } from '../../src/directory/index.js';
import { parseLdif } from '../../src/directory/embedded/index.js';
import { escapeDnValue } from '../../src/export/dn.js';
import { type ExportedList, writeExport } from '../../src/export/index.js';

const NASTY: ExportedList[] = [
  { family: 'f', address: 'liste.chefs-56@lists.example.org', description: 'Chefs du département 56', members: 12 },
  { family: 'f', address: '"a,b+c;d"@example.org', description: 'Virgule, point-virgule ; "guillemets" et \\ barre', members: 1 },
  { family: 'f', address: '#x@example.org', description: ' espaces autour ', members: 2 },
  { family: 'f', address: 'long@example.org', description: `Élèves de l’école — ${'très '.repeat(30)}longue\nsur deux lignes`, members: 3 },
  { family: 'f', address: 'vide@example.org', description: '', members: 4 },
];

const text = (list: ExportedList[], options: Partial<Parameters<typeof writeExport>[1]> & { format: 'ldif' | 'vcard' | 'csv' }): string =>
  [...writeExport(list, { counts: false, bom: false, baseOf: () => 'ou=lists,dc=example,dc=org', ...options })].join('');

describe('DN values (RFC 4514)', () => {
  it('escapes the special characters, a leading space or # and a trailing space', () => {
    assert.equal(escapeDnValue('a,b+c"d\\e<f>g;h'), 'a\\,b\\+c\\"d\\\\e\\<f\\>g\\;h');
    assert.equal(escapeDnValue(' #x '), '\\ #x\\ ');
    assert.equal(escapeDnValue('#x'), '\\#x');
    assert.equal(escapeDnValue('x\\ '), 'x\\\\\\ ');
    assert.equal(escapeDnValue('liste.chefs-56@lists.example.org'), 'liste.chefs-56@lists.example.org');
    assert.equal(escapeDnValue('a\0b'), 'a\\00b');
  });

  it('reads back as the value itself: the same DN as every octet hex-escaped', () => {
    const hex = (value: string) => [...Buffer.from(value, 'utf8')].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('');
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(fc.constantFrom(' ', '#', ',', '+', '"', '\\', '<', '>', ';', '=', 'é', '€', 'a', 'Z', '0')), minLength: 1, maxLength: 12 }), (value) => {
        const written = normalizeDN(`cn=${escapeDnValue(value)},ou=lists,dc=example,dc=org`);
        assert.notEqual(written, undefined, value);
        assert.equal(written, normalizeDN(`cn=${hex(value)},ou=lists,dc=example,dc=org`));
      }),
    );
  });
});

describe('the LDIF writer', () => {
  it('writes records that read back value for value, folded at 76 columns, counts as comments', () => {
    const ldif = text(NASTY, { format: 'ldif', counts: true });
    assert.ok(ldif.startsWith('version: 1\n'));
    for (const line of ldif.split('\n')) assert.ok(line.length <= 76, line);
    assert.match(ldif, /^# members: 12$/m);
    const records = parseLdif(ldif.replace(/^version: 1\n/, ''));
    assert.equal(records.length, NASTY.length);
    for (const [i, list] of NASTY.entries()) {
      const record = records[i] as (typeof records)[number];
      assert.equal(record.dn, `mail=${escapeDnValue(list.address)},ou=lists,dc=example,dc=org`);
      const values = (name: string) => record.attributes.filter(([n]) => n === name).map(([, v]) => v);
      assert.deepEqual(values('objectClass'), ['top', 'organizationalRole', 'extensibleObject']);
      assert.deepEqual(values('mail'), [list.address]);
      assert.deepEqual(values('cn'), [list.description || list.address]);
      assert.deepEqual(values('description'), list.description ? [list.description] : []);
    }
  });
});

describe('the vCard writer', () => {
  it('writes vCards 4.0 that ical.js (Thunderbird’s vCard library) reads back', () => {
    const vcf = text(NASTY, { format: 'vcard', counts: true });
    for (const line of vcf.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, line);
    const parsed = ICAL.parse(vcf) as unknown[];
    const cards = (Array.isArray(parsed[0]) ? parsed : [parsed]).map((jcard) => new ICAL.Component(jcard as unknown[]));
    assert.equal(cards.length, NASTY.length);
    for (const [i, list] of NASTY.entries()) {
      const card = cards[i] as ICAL.Component;
      assert.equal(card.getFirstPropertyValue('version'), '4.0');
      assert.equal(card.getFirstPropertyValue('kind'), 'group');
      assert.equal(card.getFirstPropertyValue('fn'), list.description || list.address);
      assert.equal(card.getFirstPropertyValue('email'), list.address);
      assert.equal(card.getFirstPropertyValue('uid'), `mailto:${list.address}`);
      assert.equal(card.getFirstPropertyValue('x-autolist-members'), String(list.members));
    }
  });

  it('leaves the count out unless asked', () => {
    assert.doesNotMatch(text(NASTY, { format: 'vcard' }), /X-AUTOLIST-MEMBERS/);
  });
});

describe('the CSV writer', () => {
  it('quotes per RFC 4180, with CRLF line ends, and reads back field for field', () => {
    const csv = text(NASTY, { format: 'csv', counts: true });
    assert.ok(csv.startsWith('address,description,members\r\n'));
    assert.ok(!csv.startsWith('\ufeff'));
    const rows = parseCsv(csv, { columns: true, record_delimiter: '\r\n' }) as Array<Record<string, string>>;
    assert.deepEqual(
      rows,
      NASTY.map((l) => ({ address: l.address, description: l.description, members: String(l.members) })),
    );
  });

  it('puts a UTF-8 byte order mark first when asked, and no count column unless asked', () => {
    const csv = text(NASTY, { format: 'csv', bom: true });
    assert.ok(csv.startsWith('\ufeffaddress,description\r\n'));
    const rows = parseCsv(csv, { bom: true, columns: true }) as Array<Record<string, string>>;
    assert.deepEqual(Object.keys(rows[0] as object), ['address', 'description']);
    assert.equal(rows[0]?.description, 'Chefs du département 56');
  });
});
