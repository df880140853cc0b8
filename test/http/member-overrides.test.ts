/**
 * GET /v1/lists/{address}/members/{mail} explains a person's exclusion or addition first among its
 * reasons, in the family's language: who unsubscribed (and how, when, by which rule), who subscribed
 * and is still admitted, who subscribed but is no longer. Over the demo directory (embedded), with
 * the test family equipe (subscribe: people of the directory who are not civil) in English and in French.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { OptEntry } from '../../src/store/index.js';
import { familiesWith } from '../harness/families.js';
import { demoAddresses } from '../smtp/helpers.js';
import { TestServer } from './helpers.js';

const LIST = 'equipe-2a@lists.example.org';
const AT = '2026-03-05T14:07:00.000Z';
const RULE = 'equipe/equipe.charter:21';
const person = (a: Map<string, string[]>): boolean => (a.get('objectclass') ?? []).some((c) => c.toLowerCase() === 'inetorgperson');
const of = (department: string, type: string): string =>
  demoAddresses((a) => person(a) && (a.get('departmentnumber')?.[0] ?? '').toLowerCase() === department && (a.get('employeetype')?.[0] ?? '') === type)[0] as string;
/** A member of equipe-2a by the directory who unsubscribed by the one-click link. */
const LEAVER = of('2a', 'militaire');
/** Someone of 56, not civil, who subscribed: still admitted. */
const JOINER = of('56', 'militaire');
/** A civil person of 56 who subscribed: the subscribe rules no longer admit them. */
const CIVIL = of('56', 'civil');

const REASONS = {
  en: {
    [LEAVER]: `${LEAVER} is not a member of ${LIST}: they unsubscribed on 5 March 2026 at 14:07 UTC (by the one-click link; rule ${RULE}), whatever the directory says`,
    [JOINER]: `${JOINER} is a member of ${LIST}: they subscribed on 5 March 2026 at 14:07 UTC (by a confirmed mail to the request address; rule ${RULE}), and the family’s subscribe rules still admit them`,
    [CIVIL]: `${CIVIL} subscribed to ${LIST} on 5 March 2026 at 14:07 UTC (by a confirmed mail to the request address; rule ${RULE}), but the family’s subscribe rules no longer admit them: the addition counts for nothing until they do`,
  },
  fr: {
    [LEAVER]: `${LEAVER} n’est pas membre de ${LIST} : il s’en est désabonné le 5 mars 2026 à 14:07 UTC (par le lien de désabonnement en un clic ; règle ${RULE}), quoi que dise l’annuaire`,
    [JOINER]: `${JOINER} est membre de ${LIST} : il s’y est abonné le 5 mars 2026 à 14:07 UTC (par un message confirmé à l’adresse des demandes ; règle ${RULE}), et les règles d’abonnement de la famille l’admettent toujours`,
    [CIVIL]: `${CIVIL} s’est abonné à ${LIST} le 5 mars 2026 à 14:07 UTC (par un message confirmé à l’adresse des demandes ; règle ${RULE}), mais les règles d’abonnement de la famille ne l’admettent plus : l’abonnement ne compte pas tant qu’elles ne l’admettent pas de nouveau`,
  },
} as const;

for (const language of ['en', 'fr'] as const) {
  describe(`the members route explains an exclusion or addition (${language})`, () => {
    let families: ReturnType<typeof familiesWith>;
    let server: TestServer;

    before(async () => {
      families = familiesWith([], ['equipe']);
      const charter = join(families.dir, 'equipe', 'equipe.charter');
      writeFileSync(charter, readFileSync(charter, 'utf8').replace(/^subject .*$/m, `$&\nlanguage     ${language}`));
      server = await TestServer.start({ env: { AUTOLIST_FAMILIES_DIR: families.dir } });
      const { opt } = server.services.store;
      const entry = (kind: OptEntry['kind'], address: string, how: OptEntry['how']): OptEntry => ({ kind, list: LIST, address, at: AT, how, rule: RULE });
      await opt.put(entry('exclusion', LEAVER, 'one-click'));
      await opt.put(entry('addition', JOINER, 'mail'));
      await opt.put(entry('addition', CIVIL, 'mail'));
    });
    after(async () => {
      await server?.close();
      families?.dispose();
    });

    for (const [address, member] of [
      [LEAVER, false],
      [JOINER, true],
      [CIVIL, false],
    ] as const) {
      it(`${address}: ${member ? 'a member' : 'not a member'}, and the first reason says why`, async () => {
        const answer = await server.request(`/v1/lists/${LIST}/members/${address}`);
        assert.equal(answer.statusCode, 200, answer.body);
        const body = answer.json();
        assert.equal(body.member, member, answer.body);
        assert.equal(body.reasons[0], REASONS[language][address]);
      });
    }
  });
}
