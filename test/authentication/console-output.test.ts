/**
 * A library's console output reaches the log, not standard output: mailauth prints a line for each
 * DKIM signature whose l= tag exceeds the body, which any sender can make it do. Against a real DNS
 * server (dnsmasq) serving example.org's key.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { authenticateMessage } from '../../src/authentication/index.js';
import { routeConsoleToLog } from '../../src/log.js';
import { DnsServer } from '../harness/dns.js';
import { MailDomain } from '../harness/mail-domain.js';

describe('console output of libraries', () => {
  const exampleOrg = new MailDomain('example.org');
  let dns: DnsServer;
  before(async () => {
    dns = await DnsServer.start(exampleOrg.records());
  });
  after(() => dns.dispose());

  it('goes to the log at debug level, bounded, when a DKIM signature claims more body than there is', async () => {
    const events: Array<Record<string, unknown>> = [];
    routeConsoleToLog(pino({ level: 'debug' }, { write: (line: string) => events.push(JSON.parse(line)) }));
    const body = 'Bonjour.\r\n'.repeat(10);
    const signed = await exampleOrg.sign(`From: chef.bretagne@example.org\r\nSubject: l=\r\n\r\n${body}`, { bodyLength: body.length });
    // Cut after signing: the signature's l= now exceeds the body.
    const cut = Buffer.from(signed.toString('utf8').replace(body, 'Bonjour.\r\n'));
    const result = await authenticateMessage(cut, { clientIp: '127.0.0.1', helo: 'mx.example.org', mailFrom: 'chef.bretagne@example.org', mta: 'lists.example.org' }, { dnsServers: [dns.address] });
    assert.equal(result.dkim.result, 'fail');
    const printed = events.filter((e) => e.msg === 'a library wrote to the console');
    assert.equal(printed.length, 1);
    assert.equal(printed[0]!.level, 20);
    assert.match(String(printed[0]!.text), new RegExp(`^TOTAL \\d+ EXPECTING ${body.length}$`));

    console.log('%s', 'x'.repeat(5_000));
    assert.equal(String(events.at(-1)!.text).length, 1_000);
  });

  it('is dropped at the default level', () => {
    const events: unknown[] = [];
    routeConsoleToLog(pino({ level: 'info' }, { write: (line: string) => events.push(line) }));
    console.log('TOTAL 10 EXPECTING 100');
    assert.deepEqual(events, []);
  });
});
