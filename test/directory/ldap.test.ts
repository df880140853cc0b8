/**
 * The LDAP directory against a real slapd, and its faults: paging, pooled connections, a server
 * that stops, restarts, freezes or drops connections, size limits (the server's and ours), bad
 * credentials, a base that does not exist, a peer that never answers. Never a partial answer.
 */
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { SearchRequest } from '../../src/directory/directory.js';
import {
  DirectoryBadCredentialsError,
  DirectoryError,
  DirectoryLimitExceededError,
  DirectoryNoSuchBaseError,
  DirectoryTimeoutError,
  DirectoryUnavailableError,
  LdapDirectory,
} from '../../src/directory/index.js';
import { parseFilter } from '../../src/filter/index.js';
import { BASE_DN } from '../fixtures/generate-directory.js';
import { listOf, TestClock } from '../membership/helpers.js';
import { dnsOf, type Fixture, ldapOf, ldapsearchOf, membershipOf, startFixture } from './helpers.js';
import { TcpProxy } from './tcp-proxy.js';

/** slapd's size limit for every identity but its rootdn (anonymous searches here). */
const SERVER_SIZE_LIMIT = 300;
const HANG_GUARD = { timeout: 30_000 };

let fixture: Fixture;

before(async () => {
  fixture = await startFixture({ persons: 1000, seed: 23 }, { sizeLimit: SERVER_SIZE_LIMIT });
});

after(async () => {
  await fixture?.dispose();
});

const request = (filter: string, extra: Partial<SearchRequest> = {}): SearchRequest => ({ base: BASE_DN, scope: 'sub', filter: parseFilter(filter), attributes: ['mail'], ...extra });

/** What a promise rejects with (it must reject). */
async function rejection(promise: Promise<unknown>): Promise<DirectoryError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DirectoryError, `a DirectoryError, not ${String(error)}`);
    return error;
  }
  assert.fail('it did not fail');
}

/** Reads a search's first entry, lets `between` run, then reads on to the end. */
async function interrupted(directory: LdapDirectory, search: SearchRequest, between: () => Promise<void> | void): Promise<number> {
  let count = 0;
  for await (const _entry of directory.search(search)) {
    if (count++ === 0) await between();
  }
  return count;
}

describe('paged searches over pooled connections', () => {
  it('a page size far smaller than the answer gives every entry, as ldapsearch does', HANG_GUARD, async () => {
    const ldap = ldapOf(fixture.slapd, { pageSize: 7 });
    try {
      const expected = (await ldapsearchOf(fixture.slapd, '(title=chef)')).dns;
      assert.ok(expected.length > 7 * 10);
      assert.deepEqual(await dnsOf(ldap, request('(title=chef)')), expected);
    } finally {
      await ldap.close();
    }
  });

  it('reuses one bound connection for searches one after another, whole or left early', HANG_GUARD, async () => {
    const proxy = await TcpProxy.start(Number(new URL(fixture.slapd.url).port));
    const ldap = new LdapDirectory({ urls: [proxy.url], bindDN: fixture.slapd.bindDN, bindPassword: fixture.slapd.password, pageSize: 100 });
    try {
      for (let i = 0; i < 5; i++) assert.ok((await dnsOf(ldap, request('(title=pilote)'))).length > 100);
      // A caller that stops at the first entry of a one-page answer (a sender lookup) leaves the connection reusable.
      for (let i = 0; i < 5; i++) {
        for await (const entry of ldap.search(request('(mail=chef.bretagne@example.org)'))) {
          assert.match(entry.dn, /chef\.bretagne/);
          break;
        }
      }
      await ldap.health();
      assert.equal(proxy.accepted, 1);
    } finally {
      await ldap.close();
      await proxy.close();
    }
  });

  it('concurrent searches share at most poolSize connections', HANG_GUARD, async () => {
    const proxy = await TcpProxy.start(Number(new URL(fixture.slapd.url).port));
    const ldap = new LdapDirectory({ urls: [proxy.url], bindDN: fixture.slapd.bindDN, bindPassword: fixture.slapd.password, pageSize: 50, poolSize: 2 });
    try {
      const expected = await dnsOf(ldap, request('(objectClass=inetOrgPerson)'));
      const answers = await Promise.all(Array.from({ length: 6 }, () => dnsOf(ldap, request('(objectClass=inetOrgPerson)'))));
      for (const answer of answers) assert.deepEqual(answer, expected);
      assert.ok(proxy.accepted <= 2, `${proxy.accepted} connections`);
    } finally {
      await ldap.close();
      await proxy.close();
    }
  });

  it('reconnects after the network drops every connection, without being rebuilt', HANG_GUARD, async () => {
    const proxy = await TcpProxy.start(Number(new URL(fixture.slapd.url).port));
    const ldap = new LdapDirectory({ urls: [proxy.url], bindDN: fixture.slapd.bindDN, bindPassword: fixture.slapd.password });
    try {
      const expected = await dnsOf(ldap, request('(title=gendarme)'));
      proxy.dropAll();
      assert.deepEqual(await dnsOf(ldap, request('(title=gendarme)')), expected);
      assert.equal(proxy.accepted, 2);
    } finally {
      await ldap.close();
      await proxy.close();
    }
  });
});

describe('a server that stops, restarts or freezes', () => {
  it('stopped: a temporary DirectoryUnavailableError, for a search and the health check; restarted: the same directory answers again', HANG_GUARD, async () => {
    const ldap = ldapOf(fixture.slapd);
    try {
      const expected = await dnsOf(ldap, request('(title=chef)'));
      await ldap.health();
      await fixture.slapd.stop();
      const error = await rejection(dnsOf(ldap, request('(title=chef)')));
      assert.ok(error instanceof DirectoryUnavailableError, error.message);
      assert.equal(error.temporary, true);
      assert.ok((await rejection(ldap.health())) instanceof DirectoryUnavailableError);
      await fixture.slapd.restart();
      assert.deepEqual(await dnsOf(ldap, request('(title=chef)')), expected);
      await ldap.health();
    } finally {
      await fixture.slapd.restart();
      await ldap.close();
    }
  });

  it('stopped in the middle of a paged expansion: an error, never the entries read so far', HANG_GUARD, async () => {
    const ldap = ldapOf(fixture.slapd, { pageSize: 20 });
    try {
      const error = await rejection(interrupted(ldap, request('(objectClass=inetOrgPerson)'), () => fixture.slapd.stop()));
      assert.ok(error instanceof DirectoryUnavailableError, error.message);
      await fixture.slapd.restart();
      assert.equal((await dnsOf(ldap, request('(objectClass=inetOrgPerson)'))).length, 1000);
    } finally {
      await fixture.slapd.restart();
      await ldap.close();
    }
  });

  it('frozen (SIGSTOP) in the middle of a search: DirectoryTimeoutError after the operation timeout; then it recovers', HANG_GUARD, async () => {
    const ldap = ldapOf(fixture.slapd, { pageSize: 20, timeoutMs: 500 });
    try {
      const error = await rejection(interrupted(ldap, request('(objectClass=inetOrgPerson)'), () => fixture.slapd.pause()));
      assert.ok(error instanceof DirectoryTimeoutError, error.message);
      assert.equal(error.temporary, true);
      fixture.slapd.resume();
      assert.equal((await dnsOf(ldap, request('(objectClass=inetOrgPerson)'))).length, 1000);
    } finally {
      fixture.slapd.resume();
      await ldap.close();
    }
  });

  it('a peer that accepts connections but never answers: DirectoryTimeoutError', HANG_GUARD, async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `ldap://127.0.0.1:${(silent.address() as { port: number }).port}`;
    const ldap = new LdapDirectory({ urls: [url], bindDN: fixture.slapd.bindDN, bindPassword: fixture.slapd.password, connectTimeoutMs: 300, timeoutMs: 300 });
    try {
      const error = await rejection(dnsOf(ldap, request('(title=chef)')));
      assert.ok(error instanceof DirectoryTimeoutError, error.message);
      assert.ok(sockets.size > 0, 'the connection was accepted');
      assert.ok((await rejection(ldap.health())) instanceof DirectoryTimeoutError);
    } finally {
      await ldap.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe('limits: refused, never truncated', () => {
  it("the server's size limit is DirectoryLimitExceededError, however the answer is paged", HANG_GUARD, async () => {
    for (const pageSize of [50, 1000]) {
      const anonymous = new LdapDirectory({ urls: [fixture.slapd.url], pageSize });
      try {
        const error = await rejection(dnsOf(anonymous, request('(objectClass=inetOrgPerson)')));
        assert.ok(error instanceof DirectoryLimitExceededError, error.message);
        assert.equal(error.resultCode, 4);
        assert.equal(error.temporary, true);
        // Under the limit, the same identity gets its whole answer.
        const chefs = (await ldapsearchOf(fixture.slapd, '(&(title=chef)(departmentNumber=56))')).dns;
        assert.deepEqual(await dnsOf(anonymous, request('(&(title=chef)(departmentNumber=56))')), chefs);
      } finally {
        await anonymous.close();
      }
    }
  });

  it('our own size limit (AUTOLIST_LDAP_SIZE_LIMIT) is DirectoryLimitExceededError past it, the whole answer up to it', HANG_GUARD, async () => {
    const chefs = (await ldapsearchOf(fixture.slapd, '(title=chef)')).dns.length;
    const limited = ldapOf(fixture.slapd, { sizeLimit: chefs - 1, pageSize: 40 });
    const enough = ldapOf(fixture.slapd, { sizeLimit: chefs, pageSize: 40 });
    try {
      assert.ok((await rejection(dnsOf(limited, request('(title=chef)')))) instanceof DirectoryLimitExceededError);
      assert.equal((await dnsOf(enough, request('(title=chef)'))).length, chefs);
    } finally {
      await limited.close();
      await enough.close();
    }
  });

  it('a Membership expansion over a limited directory fails and keeps nothing', HANG_GUARD, async () => {
    const anonymous = new LdapDirectory({ urls: [fixture.slapd.url], pageSize: 100 });
    const membership = membershipOf(anonymous);
    try {
      await assert.rejects(membership.expand(listOf('liste.personnels-national@lists.example.org')), DirectoryLimitExceededError);
      const streamed: string[] = [];
      await assert.rejects(async () => {
        for await (const member of membership.stream(listOf('liste.personnels-national@lists.example.org'))) streamed.push(member);
      }, DirectoryLimitExceededError);
      assert.deepEqual(streamed, []);
      assert.equal(membership.stats().listsHeld, 0);
    } finally {
      await anonymous.close();
    }
  });
});

describe('permanent faults', () => {
  it('a wrong password is DirectoryBadCredentialsError (permanent), from a search and from the health check', HANG_GUARD, async () => {
    const ldap = ldapOf(fixture.slapd, { bindPassword: 'not-the-password' });
    try {
      const error = await rejection(dnsOf(ldap, request('(title=chef)')));
      assert.ok(error instanceof DirectoryBadCredentialsError, error.message);
      assert.equal(error.temporary, false);
      assert.equal(error.resultCode, 49);
      assert.match(error.message, /bind DN or password was refused/);
      assert.ok((await rejection(ldap.health())) instanceof DirectoryBadCredentialsError);
    } finally {
      await ldap.close();
    }
  });

  it('a base that names no entry is DirectoryNoSuchBaseError (permanent), not an empty answer', HANG_GUARD, async () => {
    const ldap = ldapOf(fixture.slapd);
    try {
      const error = await rejection(dnsOf(ldap, request('(objectClass=*)', { base: `ou=nowhere,${BASE_DN}` })));
      assert.ok(error instanceof DirectoryNoSuchBaseError, error.message);
      assert.equal(error.temporary, false);
      // The connection stays usable.
      assert.equal((await dnsOf(ldap, request('(uid=chef.bretagne)'))).length, 1);
    } finally {
      await ldap.close();
    }
  });

  it('a closed directory refuses searches', async () => {
    const ldap = ldapOf(fixture.slapd);
    await ldap.close();
    assert.ok((await rejection(dnsOf(ldap, request('(title=chef)')))) instanceof DirectoryUnavailableError);
  });
});

describe('Membership over LDAP while slapd is down', () => {
  it('serves the last members, marked stale, within max-stale; past it, the temporary error; fresh again after a restart', HANG_GUARD, async () => {
    const clock = new TestClock();
    const ldap = ldapOf(fixture.slapd);
    const membership = membershipOf(ldap, { now: clock.now, maxStaleSeconds: 6 * 3600 });
    const list = listOf('liste.chefs-bretagne@lists.example.org');
    try {
      const fresh = await membership.expand(list);
      assert.ok(fresh.members.length > 0);
      await fixture.slapd.stop();
      clock.advance(2 * 3600);
      const stale = await membership.expand(list);
      assert.deepEqual(stale.members, fresh.members);
      assert.equal(stale.stale, true);
      assert.equal(stale.fromCache, true);
      assert.equal(stale.ageSeconds, 2 * 3600);
      clock.advance(5 * 3600);
      await assert.rejects(membership.expand(list), (error: unknown) => error instanceof DirectoryUnavailableError && error.temporary);
      await fixture.slapd.restart();
      const again = await membership.expand(list);
      assert.deepEqual(again.members, fresh.members);
      assert.equal(again.stale, false);
      assert.equal(again.fromCache, false);
    } finally {
      await fixture.slapd.restart();
      await ldap.close();
    }
  });
});
