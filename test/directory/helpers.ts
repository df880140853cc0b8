import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Directory, SearchRequest } from '../../src/directory/directory.js';
import { parseLdif } from '../../src/directory/embedded/index.js';
import { LdapDirectory, type LdapDirectoryOptions } from '../../src/directory/index.js';
import { Membership } from '../../src/membership/index.js';
import { type GenerateOptions, writeDirectory } from '../fixtures/generate-directory.js';
import { Slapd, type SlapdOptions } from '../harness/slapd.js';

/** A generated directory in a temporary folder, loaded into a slapd of its own. */
export interface Fixture {
  ldif: string;
  slapd: Slapd;
  dispose(): Promise<void>;
}

export async function startFixture(directory: GenerateOptions, options: Omit<SlapdOptions, 'ldif'> = {}): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'autolist-directory-'));
  const ldif = join(dir, 'directory.ldif');
  await writeDirectory(ldif, directory);
  const slapd = await Slapd.start({ ...options, ldif });
  return {
    ldif,
    slapd,
    async dispose() {
      await slapd.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An LdapDirectory bound as the slapd's rootdn, with short timeouts for tests. */
export function ldapOf(slapd: Slapd, options: Partial<LdapDirectoryOptions> = {}): LdapDirectory {
  return new LdapDirectory({ urls: [slapd.url], bindDN: slapd.bindDN, bindPassword: slapd.password, connectTimeoutMs: 2000, timeoutMs: 5000, ...options });
}

/** A Membership over a directory, with the service's defaults. */
export function membershipOf(directory: Directory, options: { now?: () => number; maxStaleSeconds?: number } = {}): Membership {
  return new Membership({
    directory,
    maxMembersHeld: 1_000_000,
    defaultTtlSeconds: 3600,
    maxStaleSeconds: options.maxStaleSeconds ?? 3600,
    senderTtlSeconds: 60,
    ...(options.now ? { now: options.now } : {}),
  });
}

/** The DNs a search finds, lower-cased and sorted. */
export async function dnsOf(directory: Directory, request: SearchRequest): Promise<string[]> {
  const dns: string[] = [];
  for await (const entry of directory.search(request)) dns.push(entry.dn.toLowerCase());
  return dns.sort();
}

/** What `ldapsearch` prints, read with the project's LDIF parser: the DNs, and the values of one attribute. */
export async function ldapsearchOf(slapd: Slapd, filter: string, options: { base?: string; scope?: SearchRequest['scope']; attribute?: string } = {}): Promise<{ dns: string[]; values: string[] }> {
  const { attribute = '1.1', ...where } = options;
  const records = parseLdif(await slapd.ldapsearch(filter, { ...where, attributes: [attribute] }));
  const values = records.flatMap((r) => r.attributes.filter(([name]) => name.toLowerCase() === attribute.toLowerCase()).map(([, value]) => value));
  return { dns: records.map((r) => r.dn.toLowerCase()).sort(), values };
}

/** Member addresses as Membership gives them: trimmed, lower case, distinct, sorted. */
export function asMembers(values: string[]): string[] {
  return [...new Set(values.map((v) => v.trim().toLowerCase()).filter(Boolean))].sort();
}
