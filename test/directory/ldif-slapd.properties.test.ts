/**
 * The LDIF parser against OpenLDAP's own: generated LDIF (values plain or in base64, folds, comments,
 * CRLF) is loaded by slapadd into a throwaway slapd, read back with ldapsearch (which folds and
 * base64-encodes in its own way), and both readings must give the values the parser read.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { parseLdif, type LdifRecord } from '../../src/directory/embedded/ldif.js';
import { holdsAsync } from '../harness/property.js';
import { Slapd } from '../harness/slapd.js';
import { layout, PLAIN_UTF8, text, writeLdif, type Written } from './ldif-writer.js';

/** A Directory String value slapd takes: not blank, no NUL. */
const value: fc.Arbitrary<Written> = fc
  .tuple(
    text(30).filter((v) => v.trim() !== '' && !v.includes('\0')),
    fc.boolean(),
  )
  .map(([v, base64]) => ({ value: v, form: base64 || !PLAIN_UTF8.test(v) ? 'base64' : 'plain' }));
const person = fc.record({ cn: value, sn: value, description: fc.option(value) });
const plain = (v: string): Written => ({ value: v, form: 'plain' });

/** The values of the attributes compared, by DN. */
function valuesByDn(records: LdifRecord[]): Map<string, string[][]> {
  return new Map(records.filter((r) => r.dn.startsWith('uid=')).map((r) => [r.dn, r.attributes.filter(([n]) => ['cn', 'sn', 'description'].includes(n)).sort(([a], [b]) => a.localeCompare(b))]));
}

describe('LDIF: the parser and OpenLDAP read the same values', () => {
  const dir = mkdtempSync(join(tmpdir(), 'autolist-ldif-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('what slapadd loads and ldapsearch writes back parses to the values read from the file', async () => {
    let n = 0;
    await holdsAsync(
      fc.asyncProperty(fc.array(person, { minLength: 1, maxLength: 5 }), layout, async (persons, l) => {
        const entries = [
          {
            dn: plain('dc=example,dc=org'),
            attributes: [
              ['objectClass', plain('dcObject')],
              ['objectClass', plain('organization')],
              ['dc', plain('example')],
              ['o', plain('Example')],
            ] as Array<[string, Written]>,
          },
          {
            dn: plain('ou=people,dc=example,dc=org'),
            attributes: [
              ['objectClass', plain('organizationalUnit')],
              ['ou', plain('people')],
            ] as Array<[string, Written]>,
          },
          ...persons.map((p, i) => ({
            dn: plain(`uid=p${i},ou=people,dc=example,dc=org`),
            attributes: [['objectClass', plain('inetOrgPerson')], ['uid', plain(`p${i}`)], ['cn', p.cn], ['sn', p.sn], ...(p.description ? [['description', p.description]] : [])] as Array<
              [string, Written]
            >,
          })),
        ];
        // A file is bytes: folds may fall inside a UTF-8 character. slapadd refuses the RFC 2849 version line.
        const { input } = writeLdif(entries, { ...l, asBuffer: true, foldValuesOnly: true, version: false });
        const file = join(dir, `people-${n++}.ldif`);
        writeFileSync(file, input);
        const ours = valuesByDn(parseLdif(input, file));
        assert.equal(ours.size, persons.length);
        const slapd = await Slapd.start({ ldif: file });
        try {
          const theirs = valuesByDn(parseLdif(await slapd.ldapsearch('(uid=*)', { attributes: ['cn', 'sn', 'description'] }), 'ldapsearch'));
          assert.deepEqual(theirs, ours);
        } finally {
          await slapd.dispose();
        }
      }),
      // A slapd per run: a few runs, each a whole load and search.
      { numRuns: 6, minRuns: 6, timeLimitMs: 120_000 },
    );
  });
});
