/**
 * A throwaway OpenLDAP slapd for one test file: its own temporary folder and slapd.conf, the standard
 * schemas and the demo directory's site schema, an mdb database for dc=example,dc=org loaded with
 * slapadd, listening on 127.0.0.1 only.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../src/config/config.js';
import { PeerProcess } from './peer-process.js';
import { answers, freePort } from './ports.js';

const run = promisify(execFile);
const SBIN = '/usr/sbin';
const SCHEMAS = ['core', 'cosine', 'inetorgperson', 'nis', 'misc'];
/** The site schema of the demo directory's personAge, loaded after the standard ones as README tells operators. */
const DEMO_SCHEMA = join(PROJECT_ROOT, 'demo', 'person-age.schema');

export interface SlapdOptions {
  /** The LDIF loaded with slapadd before start (it must hold the base entry dc=example,dc=org). */
  ldif: string;
  /** slapd's global `sizelimit` (applies to every identity but the rootdn). */
  sizeLimit?: number;
  /** PEM files of a server certificate: slapd then also listens on ldaps:// (tlsUrl) and offers StartTLS. */
  tls?: { certFile: string; keyFile: string; caFile: string };
}

export class Slapd extends PeerProcess {
  readonly baseDN = 'dc=example,dc=org';
  readonly bindDN = 'cn=admin,dc=example,dc=org';
  readonly password = 'test-secret';
  private port = 0;
  private tlsPort = 0;
  private readonly conf: string;

  private constructor(
    dir: string,
    private readonly tls: boolean,
  ) {
    super('slapd', dir);
    this.conf = join(dir, 'slapd.conf');
  }

  protected get where(): string {
    return this.url;
  }

  get url(): string {
    return `ldap://127.0.0.1:${this.port}`;
  }

  /** The ldaps:// URL, when started with `tls`. */
  get tlsUrl(): string {
    if (!this.tls) throw new Error('slapd was started without tls');
    return `ldaps://127.0.0.1:${this.tlsPort}`;
  }

  /** Writes the configuration, loads the data and starts slapd on a free port (retrying on a collision). */
  static async start(options: SlapdOptions): Promise<Slapd> {
    const slapd = new Slapd(mkdtempSync(join(tmpdir(), 'autolist-slapd-')), options.tls !== undefined);
    try {
      mkdirSync(join(slapd.dir, 'db'));
      writeFileSync(slapd.conf, slapd.config(options));
      await run(join(SBIN, 'slapadd'), ['-q', '-f', slapd.conf, '-l', options.ldif], { timeout: 120_000 });
    } catch (error) {
      await slapd.dispose();
      throw error;
    }
    await slapd.launchOnFreePorts(async () => {
      slapd.port = await freePort();
      if (slapd.tls) slapd.tlsPort = await freePort();
    });
    return slapd;
  }

  /**
   * Runs the ldapsearch command line (simple bind as the rootdn) and returns its LDIF output, which
   * may fold lines and base64-encode values.
   */
  async ldapsearch(filter: string, options: { base?: string; scope?: 'base' | 'one' | 'sub'; attributes?: string[] } = {}): Promise<string> {
    const args = ['-x', '-LLL', '-H', this.url, '-D', this.bindDN, '-w', this.password, '-b', options.base ?? this.baseDN];
    args.push('-s', options.scope ?? 'sub', '-l', '30', filter, ...(options.attributes ?? []));
    try {
      const { stdout } = await run('ldapsearch', args, { timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
      return stdout;
    } catch (error) {
      // Exit code 32: no such object. The caller decides what that means.
      if ((error as { code?: number }).code === 32) return '';
      throw error;
    }
  }

  private config(options: SlapdOptions): string {
    return [
      ...SCHEMAS.map((s) => `include /etc/ldap/schema/${s}.schema`),
      `include ${DEMO_SCHEMA}`,
      `pidfile ${join(this.dir, 'slapd.pid')}`,
      `argsfile ${join(this.dir, 'slapd.args')}`,
      'modulepath /usr/lib/ldap',
      'moduleload back_mdb',
      ...(options.sizeLimit === undefined ? [] : [`sizelimit ${options.sizeLimit}`]),
      ...(options.tls === undefined ? [] : [`TLSCACertificateFile ${options.tls.caFile}`, `TLSCertificateFile ${options.tls.certFile}`, `TLSCertificateKeyFile ${options.tls.keyFile}`]),
      'database mdb',
      'maxsize 4294967296',
      `suffix "${this.baseDN}"`,
      `rootdn "${this.bindDN}"`,
      `rootpw ${this.password}`,
      `directory ${join(this.dir, 'db')}`,
      'index objectClass eq',
      // As a site would: senders are looked up by address, lists select on these.
      'index mail,mailLocalAddress,title,employeeType,departmentNumber,l,personAge eq',
      '',
    ].join('\n');
  }

  /** Spawns slapd in the foreground and waits until it accepts LDAP connections. */
  protected launch(): Promise<void> {
    const urls = this.tls ? `${this.url} ${this.tlsUrl}` : this.url;
    return this.spawnUntilReady(join(SBIN, 'slapd'), ['-h', urls, '-f', this.conf, '-d', '0'], () => ldapAnswers(this.port));
  }
}

// BER of LDAPMessage { messageID 1, bindRequest { version 3, name "", simple "" } }.
const ANONYMOUS_BIND = Buffer.from([0x30, 0x0c, 0x02, 0x01, 0x01, 0x60, 0x07, 0x02, 0x01, 0x03, 0x04, 0x00, 0x80, 0x00]);

/** Whether an LDAP server answers on the port: an anonymous bind request gets a bind response. */
function ldapAnswers(port: number): Promise<boolean> {
  // A BindResponse is application tag 1 (0x61) inside the LDAPMessage sequence.
  return answers(port, (data) => data.includes(0x61), ANONYMOUS_BIND);
}
