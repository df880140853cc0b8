/** What the command line tells a family's author: each reason once, where a name goes wrong in each family, what a check found to hold. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { autolist } from '../harness/cli.js';
import { D } from '../harness/families.js';

describe('autolist rights', () => {
  it('says the reason that decided once, in the first line, and keeps the attribute as the charter spells it', async () => {
    const r = await autolist(['rights', `auto-cio.40${D}`, 'send', 'gendarme.bretagne@example.org']);
    assert.equal(r.code, 77, r.stderr);
    const reason = 'sender gendarme.bretagne@example.org does not match (employeeType=CHIEF*): employeeType is militaire';
    assert.equal(r.stdout.split(reason).length - 1, 1, r.stdout);
    assert.match(r.stdout, new RegExp(`^reasons {3}.*may not send to auto-cio\\.40${D.replace('.', '\\.')}: ${reason.replace(/[()*.]/g, '\\$&')}$`, 'm'));
  });
});

describe('autolist check', () => {
  it('says what held: each family’s examples and refusals, in English and in French', async () => {
    const english = await autolist(['check']);
    assert.equal(english.code, 0, english.stderr);
    assert.match(english.stdout, /^ok {4}liste .*: 7 rules, domain lists\.example\.org; 6 examples and 6 refusals hold$/m);
    assert.match(english.stdout, /^ok {4}auto .*; 2 examples and 3 refusals hold$/m);
    const french = await autolist(['check'], { LANG: 'fr_FR.UTF-8' });
    assert.match(french.stdout, /^ok {4}liste .* ; 6 exemples et 6 refus vérifiés$/m);
  });
});
