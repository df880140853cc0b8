import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../src/config/config.js';
import { autolist } from '../harness/cli.js';
import { D } from '../harness/families.js';
import { freePort } from '../harness/ports.js';

/** Runs `autolist rights ...` over the demo directory, or the environment given. */
function rights(args: string[], env: Record<string, string> = {}): ReturnType<typeof autolist> {
  return autolist(['rights', ...args], env);
}

describe('autolist rights', () => {
  it('allows a chef, written in upper case with a +tag: the decision, the rule, the reasons (exit 0)', async () => {
    const r = await rights([`liste.chefs-56${D}`, 'send', 'CHEF.Bretagne+listes@Example.ORG']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^decision {2}allow$/m);
    assert.match(r.stdout, /^sender {4}chef\.bretagne@example\.org$/m);
    assert.match(r.stdout, /^rule {6}liste\/liste\.charter:\d+$/m);
    assert.match(r.stdout, /^reasons {3}chef\.bretagne@example\.org peut écrire à liste\.chefs-56@lists\.example\.org : la règle 1 \(liste\/liste\.charter:\d+\) s’applique$/m);
    assert.match(r.stdout, /^ {10}l’expéditeur chef\.bretagne@example\.org est un chef : title vaut chef$/m);
  });

  it('denies a gendarme (exit 77); --json gives the decision', async () => {
    const r = await rights([`liste.personnels-national${D}`, 'send', 'gendarme.bretagne@example.org', '--json']);
    assert.equal(r.code, 77, r.stderr);
    const decision = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(decision).sort(), ['action', 'decision', 'list', 'reasons', 'rule', 'sender']);
    assert.equal(decision.decision, 'deny');
    assert.equal(decision.rule, 'otherwise');
    assert.ok(decision.reasons.some((reason: string) => /^l’expéditeur gendarme\.bretagne@example\.org n’est pas un chef : title vaut gendarme$/.test(reason)));
  });

  it('answers for a bounce and a closed action (exit 77)', async () => {
    const bounce = await rights([`liste.chefs-56${D}`, 'send', '<>']);
    assert.equal(bounce.code, 77);
    assert.match(bounce.stdout, /^sender {4}<> \(empty: a bounce\)$/m);
    assert.match(bounce.stdout, /^rule {6}empty-sender$/m);
    const closed = await rights([`liste.chefs-56${D}`, 'SUBSCRIBE', 'chef.bretagne@example.org']);
    assert.equal(closed.code, 77);
    assert.match(closed.stdout, /^rule {6}closed$/m);
  });

  it('passes what the front knows of the sender to the rules', async () => {
    // The test family equipe, with the shared conditions it uses.
    const dir = mkdtempSync(join(tmpdir(), 'autolist-families-'));
    try {
      cpSync(join(PROJECT_ROOT, 'families', 'conditions.charter'), join(dir, 'conditions.charter'));
      cpSync(join(PROJECT_ROOT, 'test', 'fixtures', 'families', 'equipe'), join(dir, 'equipe'), { recursive: true });
      const args = [`equipe-56${D}`, 'send', 'gendarme.bretagne@example.org', '--json'];
      const without = await rights(args, { AUTOLIST_FAMILIES_DIR: dir });
      assert.equal(without.code, 77, without.stderr);
      const signed = await rights([...args, '--dkim', 'PASS'], { AUTOLIST_FAMILIES_DIR: dir });
      assert.equal(signed.code, 0, signed.stderr);
      assert.ok(JSON.parse(signed.stdout).reasons.includes('DKIM is pass'));
      const authenticated = await rights([`equipe-56${D}`, 'send', 'quelqu.un@example.org', '--authenticated', 'quelqu.un'], { AUTOLIST_FAMILIES_DIR: dir });
      assert.equal(authenticated.code, 0, authenticated.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('decides for a verified sender unless --unverified: then liste refuses the chef, unless --authenticated as him', async () => {
    const args = [`liste.chefs-56${D}`, 'send', 'chef.bretagne@example.org'];
    assert.equal((await rights(args)).code, 0);
    const unverified = await rights([...args, '--unverified', '--dmarc', 'fail']);
    assert.equal(unverified.code, 77, unverified.stderr);
    assert.match(unverified.stdout, /^rule {6}unverified$/m);
    assert.match(unverified.stdout, /n’a pas pu être vérifié, .*\(DMARC : fail\)/);
    assert.equal((await rights([...args, '--unverified', '--authenticated', 'chef.bretagne'])).code, 0);
  });

  it('defers when the directory cannot answer (exit 75)', async () => {
    const r = await rights([`liste.chefs-56${D}`, 'send', 'chef.bretagne@example.org', '--json'], {
      AUTOLIST_LDAP_URL: `ldap://127.0.0.1:${await freePort()}`,
      AUTOLIST_LDAP_CONNECT_TIMEOUT_MS: '2000',
    });
    assert.equal(r.code, 75, r.stderr);
    const decision = JSON.parse(r.stdout);
    assert.equal(decision.decision, 'defer');
    assert.equal(decision.rule, 'directory');
    assert.match(decision.reasons[0], /l’annuaire n’a pas pu répondre ; réessayez plus tard$/);
    assert.match(r.stderr, /"msg":"rights deferred: the directory could not answer"/, 'the error itself is logged');
    assert.match(r.stderr, /"code":"DIRECTORY_UNAVAILABLE"/);
  });

  it('refuses an unknown action (exit 2) and an address that names no list (exit 1)', async () => {
    const action = await rights([`liste.chefs-56${D}`, 'post', 'chef.bretagne@example.org']);
    assert.equal(action.code, 2);
    assert.match(action.stderr, /unknown action "post" \(actions: send, review, subscribe, unsubscribe\)/);
    const missing = await rights([`liste.chefs-56${D}`, 'send']);
    assert.equal(missing.code, 2);
    const unknown = await rights([`liste.chfs-56${D}`, 'send', 'chef.bretagne@example.org']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no such list liste\.chfs-56@lists\.example\.org/);
    assert.match(unknown.stderr, /did you mean: liste\.chefs-56@lists\.example\.org/);
  });

  it('--help gives the usage and the exit codes (exit 0)', async () => {
    const r = await rights(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^autolist rights ADDRESS ACTION SENDER \[--json\]/);
    assert.match(r.stdout, /Exit codes: 0 allow, or moderate \(the message is taken and held until a moderator approves it\); 77 deny; 75 defer/);
  });
});
