import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { D, suiteServer } from './helpers.js';

const SEND = `/v1/lists/liste.personnels-national${D}/rights/send`;

describe('GET /v1/lists/{address}/rights/{action}', () => {
  const server = suiteServer();

  it('allows a chef to send, matched with a +tag and in upper case, and says why', async () => {
    const response = await server.request({ url: `${SEND}?sender=${encodeURIComponent('Chef.Bretagne+x@EXAMPLE.org')}` });
    assert.equal(response.statusCode, 200);
    const decision = response.json();
    assert.equal(decision.decision, 'allow');
    assert.equal(decision.sender, 'chef.bretagne@example.org');
    assert.match(decision.rule, /^liste\/liste\.charter:\d+$/);
    assert.ok(decision.reasons.some((r: string) => /^l’expéditeur chef\.bretagne@example\.org est un chef : title vaut chef$/.test(r)));
  });

  it('denies a gendarme, naming the rule', async () => {
    const decision = (await server.request({ url: `${SEND}?sender=gendarme.bretagne@example.org` })).json();
    assert.equal(decision.decision, 'deny');
    assert.equal(decision.rule, 'otherwise');
    assert.ok(decision.reasons.some((r: string) => /^l’expéditeur gendarme\.bretagne@example\.org n’est pas un chef : title vaut gendarme$/.test(r)));
  });

  it('decides for a verified sender unless verified=false; dmarc is passed like dkim and spf', async () => {
    const chef = `${SEND}?sender=chef.bretagne@example.org`;
    assert.equal((await server.request({ url: chef })).json().decision, 'allow');
    const unverified = (await server.request({ url: `${chef}&verified=false&dmarc=FAIL` })).json();
    assert.equal(unverified.decision, 'deny');
    assert.equal(unverified.rule, 'unverified');
    assert.match(unverified.reasons[0], /n’a pas pu être vérifié, .*\(DMARC : fail\)/);
    assert.equal((await server.request({ url: `${chef}&verified=false&authenticated=jean.chef@example.org` })).json().decision, 'allow');
  });

  it('denies subscribing (closed) and the empty sender (a bounce)', async () => {
    const closed = (await server.request({ url: `/v1/lists/liste.chefs-56${D}/rights/subscribe?sender=chef.bretagne@example.org` })).json();
    assert.equal(closed.decision, 'deny');
    assert.equal(closed.rule, 'closed');
    const bounce = (await server.request({ url: `${SEND}?sender=` })).json();
    assert.equal(bounce.decision, 'deny');
    assert.equal(bounce.rule, 'empty-sender');
  });

  it('refuses an unknown action or a missing sender with 400, an unknown list with 404', async () => {
    const unknown = await server.request({ url: `/v1/lists/liste.chefs-56${D}/rights/delete?sender=a@b.c` });
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.json().errors[0].in, 'params');
    assert.equal((await server.request({ url: `/v1/lists/liste.chefs-56${D}/rights/send` })).statusCode, 400);
    assert.equal((await server.request({ url: `/v1/lists/liste.chefs-20${D}/rights/send?sender=a@b.c` })).statusCode, 404);
  });
});
