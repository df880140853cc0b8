/**
 * `member` and `member of` count members as mail does: the directory's, less those who unsubscribed
 * (exclusions), plus those who subscribed (additions) whom the subscribe rules still admit. Over the
 * demo directory (embedded), through the services as `autolist serve` wires them and the HTTP rights
 * route, with the test family equipe whose rights are rewritten here:
 *
 *   send: allow if member; subscribe: allow if member of "equipe-2b", or if in the directory, not
 *   a member and not civil; unsubscribe: anyone.
 *
 * Judging an addition to a list reads that list's membership from the directory alone: the `not
 * member` of the subscribe rules would otherwise ask the addition to judge itself, for ever, and
 * equipe-2a and equipe-2b, whose subscribe rules name each other, would ask each other. Each
 * decision's `member` answer is the members mail goes to, and the members route's. In English and in French.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ListDefinition } from '../../src/charter/list.js';
import type { Decision } from '../../src/rights/index.js';
import { generateDirectory } from '../fixtures/generate-directory.js';
import { familiesWith } from '../harness/families.js';
import { TestServer } from '../http/helpers.js';

const LIST = 'equipe-2a@lists.example.org';
const OTHER = 'equipe-2b@lists.example.org';

const RIGHTS = `rights send
  allow if member
  otherwise deny
rights subscribe
  allow if member of "equipe-2b"
  allow if all(sender in directory, not member, not sender matches (employeeType=civil))
  otherwise deny
rights unsubscribe
  allow if anyone

`;

/** The demo directory's persons (its first 3000 entries, the generator's persons): their address, their alternate address, département and employee type. */
const persons = [...generateDirectory({ persons: 3000, seed: 1 })].flatMap((entry) => {
  const a = new Map(entry.attributes.map(([name, values]) => [name.toLowerCase(), values]));
  if (!(a.get('objectclass') ?? []).some((c) => c.toLowerCase() === 'inetorgperson')) return [];
  const [mail, alias, department, type] = ['mail', 'maillocaladdress', 'departmentnumber', 'employeetype'].map((n) => (a.get(n)?.[0] ?? '').toLowerCase());
  return mail ? [{ mail, alias, department, type }] : [];
});
const first = (test: (p: (typeof persons)[number]) => boolean): (typeof persons)[number] => {
  const found = persons.find(test);
  assert.ok(found, 'the demo directory has such a person');
  return found;
};
/** A member of equipe-2a by the directory who stays. */
const STAYER = first((p) => p.department === '2a' && p.alias === '');
/** A member of equipe-2a by the directory, with an alternate address, who unsubscribes. */
const LEAVER = first((p) => p.department === '2a' && p.alias !== '');
/** Someone of département 56, not civil, who subscribes: admitted by `not member` (of the directory's list). */
const JOINER = first((p) => p.department === '56' && p.type === 'militaire');
/** A civil person of 56 whose additions to both lists only each other's could vouch for. */
const CIRCULAR = first((p) => p.department === '56' && p.type === 'civil');
/** A member of equipe-2b by the directory, civil, who subscribes to equipe-2a as a member of equipe-2b. */
const NEIGHBOUR = first((p) => p.department === '2b' && p.type === 'civil');

const WORDS = {
  en: {
    member: (who: string) => new RegExp(`^sender ${esc(who)} is a member of ${esc(LIST)}$`),
    notMember: (who: string) => new RegExp(`^sender ${esc(who)} is not a member of ${esc(LIST)}$`),
    unsubscribed: (who: string) => new RegExp(`^sender ${esc(who)} is not a member of ${esc(LIST)}: they unsubscribed from it \\(the directory alone makes them one\\)$`),
    subscribed: (who: string) => new RegExp(`^sender ${esc(who)} is a member of ${esc(LIST)}: they subscribed to it \\(the directory alone does not make them one\\)$`),
    notAdmitted: (who: string) => new RegExp(`^sender ${esc(who)} is not a member of ${esc(LIST)}: they subscribed to it, but the rules for subscribing no longer admit them$`),
  },
  fr: {
    member: (who: string) => new RegExp(`^l’expéditeur ${esc(who)} est membre de ${esc(LIST)}$`),
    notMember: (who: string) => new RegExp(`^l’expéditeur ${esc(who)} n’est pas membre de ${esc(LIST)}$`),
    unsubscribed: (who: string) => new RegExp(`^l’expéditeur ${esc(who)} n’est pas membre de ${esc(LIST)} : il s’en est désabonné \\(l’annuaire seul en fait un membre\\)$`),
    subscribed: (who: string) => new RegExp(`^l’expéditeur ${esc(who)} est membre de ${esc(LIST)} : il s’y est abonné \\(l’annuaire seul n’en fait pas un membre\\)$`),
    notAdmitted: (who: string) => new RegExp(`^l’expéditeur ${esc(who)} n’est pas membre de ${esc(LIST)} : il s’y est abonné, mais les règles d’abonnement ne l’admettent plus$`),
  },
} as const;

function esc(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

for (const language of ['en', 'fr'] as const) {
  const words = WORDS[language];
  describe(`member conditions count exclusions and additions (${language})`, () => {
    let dir: string;
    let families: ReturnType<typeof familiesWith>;
    let server: TestServer;
    let list: ListDefinition;

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'autolist-opted-members-'));
      families = familiesWith([], ['equipe']);
      const charter = join(families.dir, 'equipe', 'equipe.charter');
      const text = readFileSync(charter, 'utf8')
        .replace(/^subject .*$/m, `$&\nlanguage     ${language}\nalternate-addresses mailLocalAddress`)
        .replace(/^rights send\n[\s\S]*?(?=^example )/m, RIGHTS);
      writeFileSync(charter, text);
      server = await TestServer.start({ env: { AUTOLIST_FAMILIES_DIR: families.dir, AUTOLIST_RELAY_STATE_DIR: join(dir, 'state'), AUTOLIST_BOUNCES_FILE: join(dir, 'bounces.log') } });
      list = server.services.catalog.resolver.resolve(LIST);
    });
    after(async () => {
      await server?.close();
      families?.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    /** The decision on sending to the list, from the services and from the HTTP route: the same; and whether mail would reach the sender. */
    const send = async (sender: string, expected: Decision['decision'], reason: RegExp): Promise<void> => {
      const decision = await server.services.rights.decide(list, 'send', sender);
      const shown = JSON.stringify(decision, null, 1);
      assert.equal(decision.decision, expected, shown);
      assert.ok(
        decision.reasons.some((r) => reason.test(r)),
        `no reason matches ${reason}:\n${shown}`,
      );
      const answer = await server.request(`/v1/lists/${LIST}/rights/send?sender=${encodeURIComponent(sender)}`);
      assert.equal(answer.statusCode, 200, answer.body);
      assert.deepEqual(answer.json(), decision, 'the HTTP rights route gives the same decision');
    };
    /** Whether mail to the list goes to the person, by any of their addresses; the members route says the same of each. */
    const delivered = async (person: { mail: string; alias: string }): Promise<boolean> => {
      const { members } = await server.services.subscriptions.members(list);
      const reached = members.some((m) => [person.mail, person.alias].includes(m.toLowerCase()));
      for (const address of [person.mail, person.alias].filter(Boolean)) {
        const answer = await server.request(`/v1/lists/${LIST}/members/${address}`);
        assert.equal(answer.statusCode, 200, answer.body);
        assert.equal(answer.json().member, reached, `the members route on ${address}: ${answer.body}`);
      }
      return reached;
    };

    it('a member by the directory may send, by their address and their alternate one', async () => {
      await send(STAYER.mail, 'allow', words.member(STAYER.mail));
      await send(LEAVER.mail, 'allow', words.member(LEAVER.mail));
      await send(LEAVER.alias, 'allow', words.member(LEAVER.alias));
      assert.equal(await delivered(LEAVER), true);
    });

    it('a member who unsubscribed may no longer send, by either address, and the reason says they unsubscribed', async () => {
      assert.equal((await server.services.subscriptions.apply(list, LEAVER.mail, 'unsubscribe', 'one-click')).result, 'excluded');
      await send(LEAVER.mail, 'deny', words.unsubscribed(LEAVER.mail));
      await send(LEAVER.alias, 'deny', words.unsubscribed(LEAVER.alias));
      assert.equal(await delivered(LEAVER), false);
      await send(STAYER.mail, 'allow', words.member(STAYER.mail));
    });

    it('someone who subscribed may send, the reason says so; their addition is judged with the directory’s members of the list, so `not member` admits it', async () => {
      await send(JOINER.mail, 'deny', words.notMember(JOINER.mail));
      assert.equal((await server.services.subscriptions.apply(list, JOINER.mail, 'subscribe', 'mail')).result, 'added');
      await send(JOINER.mail, 'allow', words.subscribed(JOINER.mail));
      assert.equal(await delivered(JOINER), true);
    });

    it('one who rejoins may send again', async () => {
      assert.equal((await server.services.subscriptions.apply(list, LEAVER.mail, 'subscribe', 'mail')).result, 'rejoined');
      await send(LEAVER.mail, 'allow', words.member(LEAVER.mail));
      assert.equal(await delivered(LEAVER), true);
    });

    it('a member of equipe-2b subscribes to equipe-2a by its first rule and may send', async () => {
      assert.equal((await server.services.subscriptions.apply(list, NEIGHBOUR.mail, 'subscribe', 'mail')).result, 'added');
      await send(NEIGHBOUR.mail, 'allow', words.subscribed(NEIGHBOUR.mail));
      assert.equal(await delivered(NEIGHBOUR), true);
    });

    it('additions to lists whose subscribe rules name each other do not vouch for each other: not a member, and the decision ends', async () => {
      const { opt } = server.services.store;
      for (const address of [LIST, OTHER]) {
        await opt.put({ kind: 'addition', list: address, address: CIRCULAR.mail, at: new Date().toISOString(), how: 'mail', rule: 'equipe/equipe.charter:1' });
      }
      await send(CIRCULAR.mail, 'deny', words.notAdmitted(CIRCULAR.mail));
      assert.equal(await delivered(CIRCULAR), false);
    });
  });
}
