/**
 * A real Postfix in front of autolist, configured with the README's own main.cf lines (read from
 * README.md, ports substituted): swaks talks to Postfix, Postfix asks autolist's policy server and
 * socketmap, relays list mail to autolist's SMTP front, which relays it to Postfix's smtp-sink.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startPolicyServer, startSocketmapServer, type RunningServer } from '../../src/postfix/index.js';
import { PostfixInstance } from '../harness/postfix.js';
import { freePort } from '../harness/ports.js';
import { demoAddresses, message, once, startFront, swaks, type Front } from '../smtp/helpers.js';
import { SmtpSink } from '../smtp/smtp-sink.js';
import { HANG_GUARD } from './helpers.js';
import { waitUntil } from '../harness/wait.js';
import { readmeMainCf } from './readme-config.js';

const CHEF = 'chef.bretagne@example.org';
const GENDARME = 'gendarme.bretagne@example.org';
const CHEFS_56 = 'liste.chefs-56@lists.example.org';
const CHEFS_29 = 'liste.chefs-29@lists.example.org';
const chefsOf = (department: string): string[] => demoAddresses((a) => /^chef$/i.test(a.get('title')?.[0] ?? '') && a.get('departmentnumber')?.[0] === department);
const chefs56 = chefsOf('56');
const chefs29 = chefsOf('29');
/** A message from the sender to the list, its Message-ID made from the subject. */
const letter = (from: string, to: string, subject: string): string =>
  message({ From: from, To: to, Subject: subject, 'Message-ID': `<${subject.replace(/\W+/g, '-')}@example.org>` }, 'Réunion lundi.');

describe('Postfix in front, configured as README.md says', HANG_GUARD, () => {
  let sink: SmtpSink;
  let front: Front;
  let postfix: PostfixInstance;
  let policy: RunningServer | undefined;
  let socketmap: RunningServer | undefined;

  /** autolist's two servers for Postfix, on the ports of its configuration. */
  const startHooks = async (): Promise<void> => {
    const { host, policyPort, socketmapPort } = front.services.config.postfix;
    policy = await startPolicyServer(front.services, { host, port: policyPort as number });
    socketmap = await startSocketmapServer(front.services, { host, port: socketmapPort as number });
  };
  const stopHooks = async (): Promise<void> => {
    await policy?.close();
    await socketmap?.close();
    policy = socketmap = undefined;
  };

  before(async () => {
    sink = await SmtpSink.start();
    const ports = { smtp: await freePort(), policy: await freePort(), socketmap: await freePort() };
    front = await startFront({
      AUTOLIST_SMTP_PORT: String(ports.smtp),
      AUTOLIST_RELAY_URL: sink.url,
      AUTOLIST_POSTFIX_POLICY_PORT: String(ports.policy),
      AUTOLIST_POSTFIX_SOCKETMAP_PORT: String(ports.socketmap),
      // As README.md's main.cf example says.
      AUTOLIST_SMTP_XFORWARD_CLIENTS: '127.0.0.1',
      AUTOLIST_TRUSTED_AUTHSERV_ID: 'mx.example.org',
    });
    await startHooks();
    postfix = await PostfixInstance.start({
      mainCf: [
        // Mail for anything but the lists (bounces to senders) never leaves the instance.
        'default_transport = error:5.3.0 no mail leaves this test instance',
        'relay_transport = error:5.3.0 no mail leaves this test instance',
        readmeMainCf(ports),
      ].join('\n'),
    });
  });

  after(async () => {
    await postfix?.dispose();
    await stopHooks();
    await front?.close();
    await sink?.dispose();
  });

  /** swaks talking to Postfix, as a client on this machine (127.0.0.1, trusted by default). */
  const send = (from: string, to: string, subject: string): ReturnType<typeof swaks> => swaks(postfix.port, { from, to, data: letter(from, to, subject) });

  it("refuses an address that names no list with 550 5.1.1 and autolist's reason at RCPT, nothing queued", async () => {
    const result = await send(CHEF, 'liste.inconnus-56@lists.example.org', 'unknown');
    assert.match(result.lastReply, /^550 5\.1\.1 .*: la liste liste\.inconnus-56@lists\.example\.org n'existe pas : /, result.transcript);
    assert.ok(postfix.queueIsEmpty());
  });

  it("refuses the gendarme on liste.chefs-56 with 550 5.7.1 and autolist's reason", async () => {
    const result = await send(GENDARME, CHEFS_56, 'gendarme');
    assert.match(
      result.lastReply,
      /^550 5\.7\.1 .*gendarme\.bretagne@example\.org ne peut pas ecrire a liste\.chefs-56@lists\.example\.org : l'expediteur gendarme\.bretagne@example\.org n'est pas un chef : title vaut gendarme$/,
      result.transcript,
    );
    assert.ok(postfix.queueIsEmpty());
    assert.equal(sink.transactions().length, 0);
  });

  it("delivers a chef's mail (client 127.0.0.1, trusted) to every member at the sink exactly once", async () => {
    assert.ok(chefs56.length >= 2 && chefs29.length >= 2, 'the demo directory has chefs in 56 and 29');
    sink.clear();
    const result = await send(CHEF, CHEFS_56, 'chef');
    assert.equal(result.code, 0, result.transcript);
    assert.match(result.lastReply, /^250 /);
    await postfix.waitForEmptyQueue();
    // postlogd writes the maillog line after the queue file is gone: waited for, not read at once.
    const sent = /postfix\/smtp\[\d+\]: \w+: to=<liste\.chefs-56@lists\.example\.org>.* status=sent/;
    await waitUntil(
      () => sent.test(postfix.log()),
      () => `Postfix logging the delivery to autolist:\n${postfix.log()}`,
    );
    assert.match(postfix.log(), sent);
    assert.deepEqual(sink.deliveries(), once(chefs56));
  });

  it("answers 4xx while autolist's servers are stopped (nothing taken), and delivers once they are back and Postfix reloaded", async () => {
    sink.clear();
    // The socketmap stopped: Postfix's own answer for a table it cannot read, for a list it has not
    // looked up before (its smtpd remembers lookups, and this failure, until it exits).
    await socketmap?.close();
    const withoutTable = await send(CHEF, CHEFS_29, 'without the socketmap');
    assert.match(withoutTable.lastReply, /^451 4\.3\.0 .*Temporary lookup failure/, withoutTable.transcript);
    // The policy server stopped too: README's default_action.
    await policy?.close();
    const withoutPolicy = await send(CHEF, CHEFS_56, 'without the policy server');
    assert.match(withoutPolicy.lastReply, /^450 4\.3\.5 .*list policy service unavailable$/, withoutPolicy.transcript);
    // Nothing taken, so nothing lost: the client keeps the message and retries.
    assert.ok(postfix.queueIsEmpty());
    assert.equal(sink.transactions().length, 0);

    await startHooks();
    await postfix.reload();
    for (const list of [CHEFS_29, CHEFS_56]) {
      const retried = await send(CHEF, list, `retried to ${list}`);
      assert.equal(retried.code, 0, retried.transcript);
    }
    await postfix.waitForEmptyQueue();
    assert.deepEqual(sink.deliveries(), once([...chefs29, ...chefs56]));
  });
});
