import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseLdif } from '../../src/directory/embedded/index.js';
import {
  type AttributeTypeRow,
  DEMO_ATTRIBUTE_TYPES,
  DEMO_OBJECT_CLASSES,
  FILE_ATTRIBUTE_TYPES,
  FILE_OBJECT_CLASSES,
  type ObjectClassRow,
  SLAPD_BUILTIN_ATTRIBUTE_TYPES,
  SLAPD_BUILTIN_OBJECT_CLASSES,
} from '../../src/directory/embedded/schema-data.js';
import { Slapd } from '../harness/slapd.js';

/** A schema definition `( OID NAME ... )` as its OID and keyword -> values (a flag has none). */
function parseDefinition(text: string): { oid: string; fields: Map<string, string[]> } {
  const tokens = text.match(/'[^']*'|[()$]|[^\s()$']+/g) ?? [];
  assert.equal(tokens[0], '(', text);
  const oid = tokens[1] as string;
  const fields = new Map<string, string[]>();
  let i = 2;
  const value = (): string[] => {
    const token = tokens[i++] as string;
    if (token !== '(') return [unquote(token)];
    const list: string[] = [];
    while (tokens[i] !== ')') {
      const item = tokens[i++] as string;
      if (item !== '$') list.push(unquote(item));
    }
    i++;
    return list;
  };
  while (i < tokens.length - 1) {
    const keyword = tokens[i++] as string;
    const flag = /^(?:SINGLE-VALUE|COLLECTIVE|NO-USER-MODIFICATION|OBSOLETE|STRUCTURAL|AUXILIARY|ABSTRACT)$/.test(keyword);
    fields.set(keyword, flag ? [] : value());
  }
  return { oid, fields };
}

function unquote(token: string): string {
  return token.startsWith("'") ? token.slice(1, -1) : token;
}

const one = (fields: Map<string, string[]>, key: string): string => fields.get(key)?.[0] ?? '';

/** slapd's definitions as the embedded schema writes its rows: names and SUP as written, SYNTAX without its length. */
function typeRow(definition: string): AttributeTypeRow {
  const { oid, fields } = parseDefinition(definition);
  const syntax = one(fields, 'SYNTAX').replace(/\{\d+\}$/, '');
  return [oid, (fields.get('NAME') ?? []).join(' '), one(fields, 'SUP'), one(fields, 'EQUALITY'), one(fields, 'ORDERING'), one(fields, 'SUBSTR'), syntax];
}

function classRow(definition: string): ObjectClassRow {
  const { oid, fields } = parseDefinition(definition);
  return [oid, (fields.get('NAME') ?? []).join(' '), (fields.get('SUP') ?? []).join(' ')];
}

describe("the embedded directory's schema is slapd's", () => {
  let dir: string;
  let slapd: Slapd;
  const types = new Map<string, { row: AttributeTypeRow; user: boolean }>();
  const classes = new Map<string, ObjectClassRow>();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'autolist-schema-'));
    const ldif = join(dir, 'base.ldif');
    writeFileSync(ldif, 'dn: dc=example,dc=org\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example\n');
    slapd = await Slapd.start({ ldif });
    const text = await slapd.ldapsearch('(objectClass=*)', { base: 'cn=Subschema', scope: 'base', attributes: ['attributeTypes', 'objectClasses'] });
    for (const [name, value] of parseLdif(text)[0]?.attributes ?? []) {
      if (/^attributeTypes$/i.test(name)) {
        const row = typeRow(value);
        types.set(row[0], { row, user: !/\bUSAGE (?:directoryOperation|dSAOperation|distributedOperation)\b/.test(value) });
      } else if (/^objectClasses$/i.test(name)) {
        const row = classRow(value);
        classes.set(row[0], row);
      }
    }
  });

  after(async () => {
    await slapd?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every attribute type has the names, supertype, matching rules and syntax slapd publishes', () => {
    assert.ok(types.size > 100, 'the subschema was read');
    for (const row of [...FILE_ATTRIBUTE_TYPES, ...SLAPD_BUILTIN_ATTRIBUTE_TYPES, ...DEMO_ATTRIBUTE_TYPES]) assert.deepEqual(row, types.get(row[0])?.row, row[1]);
  });

  it("every user attribute type slapd knows is known (but slapd's configuration and TLS key types)", () => {
    const known = new Set([...FILE_ATTRIBUTE_TYPES, ...SLAPD_BUILTIN_ATTRIBUTE_TYPES, ...DEMO_ATTRIBUTE_TYPES].map((row) => row[0]));
    const missing = [...types.values()].filter((t) => t.user && !known.has(t.row[0]) && !/^(?:olc|pKCS8PrivateKey$)/.test(t.row[1])).map((t) => t.row[1]);
    assert.deepEqual(missing, []);
  });

  it('every object class has the names and superclasses slapd publishes, and none is missing', () => {
    const rows = [...FILE_OBJECT_CLASSES, ...SLAPD_BUILTIN_OBJECT_CLASSES, ...DEMO_OBJECT_CLASSES];
    for (const row of rows) assert.deepEqual(row, classes.get(row[0]), row[1]);
    const known = new Set(rows.map((row) => row[0]));
    // slapd's own classes for its configuration and operation are not directory content.
    const missing = [...classes.values()].filter((row) => !known.has(row[0]) && !/^(?:olc|(?:OpenLDAProotDSE|subentry|subschema|dynamicObject)\b)/.test(row[1]));
    assert.deepEqual(
      missing.map((row) => row[1]),
      [],
    );
  });
});
