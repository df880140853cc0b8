/**
 * The same decisions in the family's language, French (the shipped liste) and English (the same
 * family with `language en`), told over the API, the SMTP front (swaks) and the Postfix policy
 * server: allow, deny by a rule, deny because the action is closed, an unverified sender, no such
 * list (with close valid names), and a defer while the directory (slapd) is stopped. SMTP replies
 * stay ASCII: the French loses its accents there, not its words.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { DEMO_DIRECTORY } from '../../src/config/config.js';
import { buildApp } from '../../src/http/app.js';
import type { Language } from '../../src/i18n/index.js';
import { startPolicyServer, type RunningServer } from '../../src/postfix/index.js';
import type { Services } from '../../src/services.js';
import { type SmtpFront, startSmtp } from '../../src/smtp/index.js';
import { D, familiesWith } from '../harness/families.js';
import { testServices } from '../harness/services.js';
import { Slapd } from '../harness/slapd.js';
import { PolicyClient, rcptRequest } from '../postfix/helpers.js';
import { swaks } from './helpers.js';

const CHEF = 'chef.bretagne@example.org';
const GENDARME = 'gendarme.bretagne@example.org';
const LIST = `liste.chefs-56${D}`;
const UNKNOWN = `liste.chfs-56${D}`;

/** What each decision says, in each language: the API's words, and the SMTP reply's (ASCII). */
const EXPECTED: Record<Language, Record<string, RegExp>> = {
  fr: {
    allow: /^chef\.bretagne@example\.org peut écrire à liste\.chefs-56@lists\.example\.org : la règle 1 \(liste\/liste\.charter:\d+\) s’applique$/,
    deny: /^gendarme\.bretagne@example\.org ne peut pas écrire à liste\.chefs-56@lists\.example\.org : l’expéditeur gendarme\.bretagne@example\.org n’est pas un chef : title vaut gendarme$/,
    denySmtp:
      /^550 5\.7\.1 gendarme\.bretagne@example\.org ne peut pas ecrire a liste\.chefs-56@lists\.example\.org : l'expediteur gendarme\.bretagne@example\.org n'est pas un chef : title vaut gendarme$/,
    closed: /^personne ne peut s’abonner à liste\.chefs-56@lists\.example\.org : l’action subscribe est fermée dans la famille liste$/,
    summary: /^autorisé si commandement \(l’expéditeur est un chef : la fiche de l’expéditeur dans l’annuaire correspond à \(title=chef\)\), sinon refusé$/,
    unverified: /^chef\.bretagne@example\.org n’a pas pu être vérifié, et ne peut donc pas écrire à liste\.chefs-56@lists\.example\.org : .* ; authentifiez-vous \(SMTP AUTH\)/,
    unverifiedPolicy: /^550 5\.7\.1 chef\.bretagne@example\.org n'a pas pu etre verifie, et ne peut donc pas ecrire a liste\.chefs-56@lists\.example\.org : .*; authentifiez-vous \(SMTP AUTH\)/,
    unknown: /^la liste liste\.chfs-56@lists\.example\.org n’existe pas : à la colonne 9, .* attendu, "f" trouvé \(famille liste\)$/,
    unknownSmtp:
      /^550 5\.1\.1 la liste liste\.chfs-56@lists\.example\.org n'existe pas : a la colonne 9, .* attendu, "f" trouve \(famille liste\) ; vouliez-vous dire liste\.chefs-56@lists\.example\.org, .* \?$/,
    deferSmtp: /^451 4\.4\.3 chef\.bretagne@example\.org ne peut pas etre verifie pour le moment : l'annuaire n'a pas pu repondre ; reessayez plus tard$/,
    deferPolicy: /^DEFER_IF_PERMIT 4\.4\.3 chef\.bretagne@example\.org ne peut pas etre verifie pour le moment : l'annuaire n'a pas pu repondre ; reessayez plus tard$/,
  },
  en: {
    allow: /^chef\.bretagne@example\.org may send to liste\.chefs-56@lists\.example\.org: rule 1 \(liste\/liste\.charter:\d+\) applies$/,
    deny: /^gendarme\.bretagne@example\.org may not send to liste\.chefs-56@lists\.example\.org: sender gendarme\.bretagne@example\.org is not un chef: title is gendarme$/,
    denySmtp: /^550 5\.7\.1 gendarme\.bretagne@example\.org may not send to liste\.chefs-56@lists\.example\.org: sender gendarme\.bretagne@example\.org is not un chef: title is gendarme$/,
    closed: /^nobody may subscribe to liste\.chefs-56@lists\.example\.org: subscribe is closed in the family liste$/,
    summary: /^allow if commandement \(the sender is un chef: the sender's entry matches \(title=chef\)\), otherwise deny$/,
    unverified: /^chef\.bretagne@example\.org could not be verified, so may not send to liste\.chefs-56@lists\.example\.org: .*; authenticate \(SMTP AUTH\)/,
    unverifiedPolicy: /^550 5\.7\.1 chef\.bretagne@example\.org could not be verified, so may not send to liste\.chefs-56@lists\.example\.org: .*; authenticate \(SMTP AUTH\)/,
    unknown: /^no such list liste\.chfs-56@lists\.example\.org: at column 9, found "f", expected .* \(family liste\)$/,
    unknownSmtp: /^550 5\.1\.1 no such list liste\.chfs-56@lists\.example\.org: at column 9, found "f", expected .* \(family liste\); did you mean liste\.chefs-56@lists\.example\.org, .*\?$/,
    deferSmtp: /^451 4\.4\.3 chef\.bretagne@example\.org cannot be checked now: the directory could not answer; try again later$/,
    deferPolicy: /^DEFER_IF_PERMIT 4\.4\.3 chef\.bretagne@example\.org cannot be checked now: the directory could not answer; try again later$/,
  },
};

for (const language of ['fr', 'en'] as const) {
  describe(`the liste family's texts in ${language === 'fr' ? 'French (as shipped)' : 'English (language en)'}`, { timeout: 120_000 }, () => {
    const expected = EXPECTED[language];
    let families: ReturnType<typeof familiesWith>;
    let dir: string;
    let slapd: Slapd;
    let services: Services;
    let smtp: SmtpFront;
    let policy: RunningServer;
    let app: FastifyInstance;
    let client: PolicyClient;
    before(async () => {
      families = familiesWith(language === 'en' ? ['language en'] : []);
      dir = mkdtempSync(join(tmpdir(), 'autolist-languages-'));
      slapd = await Slapd.start({ ldif: DEMO_DIRECTORY });
      const env = {
        AUTOLIST_FAMILIES_DIR: families.dir,
        AUTOLIST_SMTP_PORT: '0',
        AUTOLIST_OUTBOX_DIR: join(dir, 'outbox'),
        AUTOLIST_RELAY_STATE_DIR: join(dir, 'state'),
        AUTOLIST_BOUNCES_FILE: join(dir, 'bounces.log'),
      };
      services = await testServices({ slapd, env });
      smtp = await startSmtp(services);
      policy = await startPolicyServer(services, { host: '127.0.0.1', port: 0 });
      app = await buildApp(services);
      client = await PolicyClient.connect(policy.address.port);
    });
    after(async () => {
      client?.close();
      await app?.close();
      await policy?.close();
      await smtp?.close();
      await services?.close();
      await slapd?.dispose();
      families?.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    const api = async (url: string): Promise<{ status: number; body: Record<string, unknown> }> => {
      const response = await app.inject({ method: 'GET', url });
      return { status: response.statusCode, body: response.json() };
    };
    const reasonsOf = async (sender: string, action = 'send', query = ''): Promise<{ decision: string; rule: string; reasons: string[] }> =>
      (await api(`/v1/lists/${LIST}/rights/${action}?sender=${encodeURIComponent(sender)}${query}`)).body as { decision: string; rule: string; reasons: string[] };

    it('allows a chef: the same rule, the reason in the family’s language (API; 250 at RCPT; DUNNO)', async () => {
      const decision = await reasonsOf(CHEF);
      assert.equal(decision.decision, 'allow');
      assert.match(decision.rule, /^liste\/liste\.charter:\d+$/);
      assert.match(decision.reasons[0] ?? '', expected.allow);
      assert.match((await swaks(smtp.address.port, { from: CHEF, to: LIST, quitAfter: 'RCPT' })).lastReply, /^250 /);
      assert.equal(await client.ask(rcptRequest({ sender: CHEF, recipient: LIST })), 'DUNNO');
    });

    it('refuses a gendarme by the rule, with the same words over the API, SMTP and the policy server', async () => {
      const decision = await reasonsOf(GENDARME);
      assert.deepEqual([decision.decision, decision.rule], ['deny', 'otherwise']);
      assert.match(decision.reasons[0] ?? '', expected.deny);
      assert.match((await swaks(smtp.address.port, { from: GENDARME, to: LIST, quitAfter: 'RCPT' })).lastReply, expected.denySmtp);
      assert.match((await client.ask(rcptRequest({ sender: GENDARME, recipient: LIST })))?.replace(/^action=/, '') ?? '', expected.denySmtp);
    });

    it('refuses a closed action, and describes the rights, in the family’s language', async () => {
      const decision = await reasonsOf(CHEF, 'subscribe');
      assert.deepEqual([decision.decision, decision.rule], ['deny', 'closed']);
      assert.match(decision.reasons[0] ?? '', expected.closed);
      const list = (await api(`/v1/lists/${LIST}`)).body as { language: string; rights: Record<string, string> };
      assert.equal(list.language, language);
      assert.match(list.rights.send ?? '', expected.summary);
    });

    it('refuses a sender nobody verified: the API (verified=false), and the policy server when no front behind Postfix can check DMARC', async () => {
      const decision = await reasonsOf(CHEF, 'send', '&verified=false&dmarc=fail');
      assert.deepEqual([decision.decision, decision.rule], ['deny', 'unverified']);
      assert.match(decision.reasons[0] ?? '', expected.unverified);
      const answer = await client.ask(rcptRequest({ sender: CHEF, recipient: LIST, client_address: '192.0.2.1' }));
      assert.match(answer?.replace(/^action=/, '') ?? '', expected.unverifiedPolicy);
    });

    it('says no such list, where the name goes wrong, and close valid names', async () => {
      const problem = await api(`/v1/lists/${UNKNOWN}`);
      assert.equal(problem.status, 404);
      assert.equal(problem.body.code, 'NO_SUCH_LIST');
      assert.match(String(problem.body.detail), expected.unknown);
      assert.ok((problem.body.suggestions as string[]).includes(LIST));
      assert.match((await swaks(smtp.address.port, { from: CHEF, to: UNKNOWN, quitAfter: 'RCPT' })).lastReply, expected.unknownSmtp);
      assert.match((await client.ask(rcptRequest({ sender: CHEF, recipient: UNKNOWN })))?.replace(/^action=/, '') ?? '', expected.unknownSmtp);
    });

    it('defers while the directory is stopped, saying so without its details, then decides again once it is back', async () => {
      await slapd.stop();
      try {
        const decision = await reasonsOf('chef.corse@example.org');
        assert.deepEqual([decision.decision, decision.rule], ['defer', 'directory']);
        const smtpReply = (await swaks(smtp.address.port, { from: CHEF.replace('bretagne', 'normandie'), to: LIST, quitAfter: 'RCPT' })).lastReply;
        assert.match(smtpReply.replace('chef.normandie', 'chef.bretagne'), expected.deferSmtp);
        const answer = await client.ask(rcptRequest({ sender: CHEF.replace('bretagne', 'alsace'), recipient: LIST }));
        assert.match(answer?.replace(/^action=/, '').replace('chef.alsace', 'chef.bretagne') ?? '', expected.deferPolicy);
      } finally {
        await slapd.restart();
      }
    });
  });
}
