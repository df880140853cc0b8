/**
 * A decision that needs the list's exclusions and additions (`member of`) while autolist's store does
 * not answer (Redis stopped with SIGSTOP) is deferred, and says what failed: the list's subscriptions,
 * not the directory; the RCPT verdict is 451 4.3.0, the socketmap's TEMP names the subscriptions, and
 * the log names the store. Over the demo directory, with the test family equipe (`send`: allow a chef who is a member
 * of liste.chefs-{department}).
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { lookupList } from '../../src/postfix/list-lookup.js';
import { checkRecipient } from '../../src/recipients/index.js';
import type { Services } from '../../src/services.js';
import { familiesWith } from '../harness/families.js';
import { RedisServer } from '../harness/redis.js';
import { testServices } from '../harness/services.js';

const LIST = 'equipe-56@lists.example.org';
const CHEF = 'chef.bretagne@example.org';

describe('a decision while the store of subscriptions does not answer', { timeout: 60_000 }, () => {
  let redis: RedisServer;
  let families: ReturnType<typeof familiesWith>;
  let services: Services;
  const logged: Array<Record<string, unknown>> = [];

  before(async () => {
    redis = await RedisServer.start();
    families = familiesWith([], ['equipe']);
    const lines = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged.push(JSON.parse(chunk.toString('utf8')));
        done();
      },
    });
    services = await testServices({
      env: { AUTOLIST_FAMILIES_DIR: families.dir, AUTOLIST_REDIS_URL: redis.url, AUTOLIST_REDIS_TIMEOUT_MS: '500', AUTOLIST_RIGHTS_CACHE_TTL: '0' },
      logger: pino({ level: 'warn' }, lines),
    });
  });
  after(async () => {
    redis.resume();
    await services?.close();
    await redis?.dispose();
    families?.dispose();
  });

  it('allows the chef while the store answers', async () => {
    const decision = await services.rights.decide(services.catalog.resolver.resolve(LIST), 'send', CHEF);
    assert.equal(decision.decision, 'allow', decision.reasons.join('; '));
  });

  it('defers, naming the subscriptions and not the directory, and RCPT answers 451 4.3.0', async () => {
    await redis.pause();
    try {
      const decision = await services.rights.decide(services.catalog.resolver.resolve(LIST), 'send', CHEF);
      assert.equal(decision.decision, 'defer');
      assert.equal(decision.rule, 'store');
      assert.equal(decision.reasons[0], `${CHEF} cannot be checked now: the list’s subscriptions could not be read; try again later`);
      assert.ok(!decision.reasons.join(' ').includes('directory'));

      const verdict = await checkRecipient(services, { recipient: LIST, sender: CHEF, context: {} });
      assert.equal(verdict.kind, 'defer');
      assert.equal(verdict.kind === 'defer' && verdict.status, '4.3.0');
      // The socketmap's answer (Postfix logs it): which part failed, with its code.
      assert.deepEqual(await lookupList(services, LIST), { kind: 'temporary', reason: "the list's subscriptions could not be read (STORE_UNAVAILABLE)" });
      assert.ok(logged.some((l) => l.msg === 'rights deferred: autolist’s store could not be read' && (l.err as { code?: string }).code === 'STORE_UNAVAILABLE'));
      assert.ok(!logged.some((l) => String(l.msg).includes('the directory could not answer')));
    } finally {
      redis.resume();
    }
  });
});
