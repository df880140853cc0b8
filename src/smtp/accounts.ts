import { scrypt, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { ConfigError } from '../config/config.js';

const hashOf = promisify(scrypt) as (password: string, salt: Buffer, length: number) => Promise<Buffer>;

interface Account {
  salt: Buffer;
  hash: Buffer;
}

/**
 * The SMTP AUTH accounts of SMTP_AUTH_USERS_FILE: one `user:scrypt$SALT$HASH` a line (SALT and HASH in
 * base64, scrypt with Node's defaults N=16384, r=8, p=1), `#` comments and blank lines ignored.
 * Passwords are never stored.
 */
export class Accounts {
  private constructor(private readonly accounts: Map<string, Account>) {}

  static load(file: string): Accounts {
    const accounts = new Map<string, Account>();
    const problems: string[] = [];
    readFileSync(file, 'utf8')
      .split(/\r?\n/)
      .forEach((line, index) => {
        if (/^\s*(#|$)/.test(line)) return;
        const match = /^([^:\s]+):scrypt\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(line.trim());
        if (!match) problems.push(`AUTOLIST_SMTP_AUTH_USERS_FILE ${file}:${index + 1}: expected user:scrypt$SALT$HASH`);
        else accounts.set(match[1] as string, { salt: Buffer.from(match[2] as string, 'base64'), hash: Buffer.from(match[3] as string, 'base64') });
      });
    if (problems.length > 0) throw new ConfigError(problems);
    return new Accounts(accounts);
  }

  /** Whether the password is the user's; as slow for an unknown user as for a known one. */
  async verify(user: string, password: string): Promise<boolean> {
    const account = this.accounts.get(user);
    const salt = account?.salt ?? Buffer.alloc(16);
    const expected = account?.hash ?? Buffer.alloc(32);
    const given = await hashOf(password, salt, expected.length);
    return timingSafeEqual(given, expected) && account !== undefined;
  }
}
