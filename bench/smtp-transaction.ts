/** One SMTP transaction on an open session, as the benches and the soak send it. */
import type { RawClient } from '../test/harness/smtp-client.js';

export interface Transaction {
  /** The final reply (of MAIL, RCPT or DATA), or undefined if the connection was lost. */
  reply: string | undefined;
  /** Milliseconds from RCPT TO sent to its reply; undefined when RCPT was not reached. */
  rcptMs?: number;
}

/** MAIL, RCPT (timed), DATA with a small message carrying `id` as its Message-ID; a refused RCPT is followed by RSET (whose 421, closing the session, is the reply then). */
export async function transaction(client: RawClient, sender: string, list: string, id: string): Promise<Transaction> {
  const mail = await client.ask(`MAIL FROM:<${sender}>`);
  if (mail === undefined || !mail.startsWith('250')) return { reply: mail };
  const rcptStart = performance.now();
  const rcpt = await client.ask(`RCPT TO:<${list}>`);
  const rcptMs = performance.now() - rcptStart;
  if (rcpt === undefined || !rcpt.startsWith('250')) {
    // The server may close the session instead (421 at its hard error limit): the caller must know.
    const reset = rcpt === undefined ? undefined : await client.ask('RSET');
    return { reply: reset === undefined || reset.startsWith('421') ? reset : rcpt, rcptMs };
  }
  const data = await client.ask('DATA');
  if (data === undefined || !data.startsWith('354')) return { reply: data, rcptMs };
  const body = [`From: <${sender}>`, `To: <${list}>`, `Subject: message ${id}`, `Message-ID: ${id}`, `Date: ${new Date().toUTCString()}`, '', `Message ${id}.`, '.'];
  return { reply: await client.ask(body.join('\r\n')), rcptMs };
}
