/**
 * Faults of autolist's own disk, on small file systems of their own (tmpfs) filled to the last block
 * or made read-only, through `autolist serve` over SMTP (swaks): the client gets 452 4.3.1 (full) or
 * 451 4.3.0 (unwritable), never 250 for what is not on disk and never 5xx; nothing more is sent once a
 * record line cannot be written; the next try after the disk is back sends only what the records do not
 * hold. With a relay (smtp-server recording every transaction) and with the outbox; the bounces file too.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OutboxFullError } from '../../src/relay/errors.js';
import { OutboxSender } from '../../src/relay/outbox.js';
import { ServeProcess } from '../harness/serve.js';
import { SmallDisk } from '../harness/small-disk.js';
import { waitUntil } from '../harness/wait.js';
import { demoAddresses, dsn, message, once, outboxBatches, swaks } from './helpers.js';
import { TestRelay } from './relay-server.js';

const LIST = 'liste.personnels-national@lists.example.org';
const BOUNCES = 'liste.personnels-national-bounces@lists.example.org';
const SENDER = 'chef.bretagne@example.org';
/** Every person of the demo directory; in batches of 500, a line of the record is larger than a block. */
const members = [...new Set(demoAddresses((a) => (a.get('objectclass') ?? []).some((c) => /^inetOrgPerson$/i.test(c))))];
const BATCH = 500;
const BATCHES = Math.ceil(members.length / BATCH);
const FULL = /^452 4\.3\.1 espace de stockage insuffisant ; reessayez plus tard$/;
const UNWRITABLE = /^451 4\.3\.0 le message ne peut pas etre enregistre pour le moment ; reessayez plus tard$/;
// In the list's language (liste: French, 3 139 with its thin space written as a space in ASCII).
const DELIVERED = new RegExp(`^250 2\\.0\\.0 ${LIST.replace(/\./g, '\\.')} : ${members.length.toLocaleString('fr').replace(/\s/g, ' ')} membres$`);
const DEFERRED = ['message deferred: the disk of autolist is full', 'message deferred: autolist cannot write to its disk'];
/** Mounting a tmpfs takes root. */
const skip = process.getuid?.() === 0 ? false : 'mounting a tmpfs needs root';

let messages = 0;
/** A new message to the list (its own Message-ID), the same bytes each time it is sent. */
const newMessage = (): string => message({ From: SENDER, To: LIST, Subject: `disque ${++messages}`, 'Message-ID': `<disk-${messages}-${Date.now()}@example.org>` }, 'Bonjour.\r\n');

/** `autolist serve` started in a folder of its own, its error lines counted by message. */
class Serving {
  readonly server: ServeProcess;
  private port = 0;
  private origin = '';
  private seen = 0;

  constructor(
    readonly dir: string,
    env: Record<string, string>,
  ) {
    this.server = ServeProcess.inFolder(dir, env, [], { processGroup: true });
  }

  async start(): Promise<void> {
    const fronts = await this.server.fronts();
    this.port = Number(new URL(String(fronts.smtp)).port);
    this.origin = String(fronts.http);
  }

  /** The addresses GET /v1/bounces counts for the list, once it counts `expected` (the workers tell each other: waited for, within a bound). */
  async bounced(list: string, expected: number): Promise<string[]> {
    let addresses: string[] = [];
    const counted = async (): Promise<boolean> => {
      const body = (await (await fetch(`${this.origin}/v1/bounces?list=${list}`)).json()) as { addresses: Array<{ address: string }> };
      addresses = body.addresses.map((a) => a.address).sort();
      return addresses.length >= expected;
    };
    await waitUntil(counted, () => `${expected} bounced addresses of ${list}, not ${addresses.join(', ')}`, { everyMs: 100 });
    return addresses;
  }

  async send(data: string, to = LIST, from = SENDER): Promise<string> {
    const result = await swaks(this.port, { from, to, data });
    return result.lastReply;
  }

  /**
   * The error lines logged since the last call, once the line of a message relayed (or of a DSN's
   * bounces recorded) shows that what came before it was logged.
   */
  async errorsUntil(msg: string): Promise<Array<Record<string, unknown>>> {
    await this.server.logged(msg, this.seen);
    const lines = this.server.lines.slice(this.seen);
    this.seen = this.server.lines.length;
    return lines.filter((l) => Number(l.level) >= 50);
  }

  stop(): void {
    this.server.crash();
  }
}

describe('autolist serve relaying, its state folder on a small disk of its own', { timeout: 180_000, skip }, () => {
  let state: SmallDisk;
  let completed: SmallDisk;
  let bounces: SmallDisk;
  let relay: TestRelay;
  let serving: Serving;
  before(async () => {
    state = SmallDisk.mount(2048);
    completed = SmallDisk.mount(256, join(state.dir, 'completed'));
    bounces = SmallDisk.mount(256);
    relay = await TestRelay.start();
    serving = new Serving(mkdtempSync(join(tmpdir(), 'autolist-disk-faults-')), {
      AUTOLIST_RELAY_STATE_DIR: state.dir,
      AUTOLIST_BOUNCES_FILE: join(bounces.dir, 'bounces.log'),
      AUTOLIST_RELAY_URL: relay.url,
      AUTOLIST_RELAY_BATCH_SIZE: String(BATCH),
      AUTOLIST_RELAY_PARALLEL_BATCHES: '1',
    });
    await serving.start();
  });
  after(async () => {
    serving?.stop();
    await serving?.server.exited;
    for (const disk of [completed, state, bounces]) disk?.dispose();
    await relay?.close();
    if (serving) rmSync(serving.dir, { recursive: true, force: true });
  });

  // First: the completed keys' disk can be made read-only only while no file on it is open, before any message completed.
  it('answers 451 4.3.0 when the key of a message that reached everyone cannot be written; its next try sends to nobody', async () => {
    relay.reset();
    relay.onTransaction = (taken) => {
      if (taken === BATCHES) completed.readOnly();
    };
    const data = newMessage();
    assert.match(await serving.send(data), UNWRITABLE);
    assert.deepEqual(relay.deliveries(), once(members), 'every member reached once');
    assert.deepEqual(
      (await serving.errorsUntil(DEFERRED[1] as string)).map((l) => [l.msg, l.code]),
      [[DEFERRED[1], 'RELAY_STATE_UNAVAILABLE']],
    );

    completed.writable();
    assert.match(await serving.send(data), DELIVERED);
    assert.deepEqual(relay.deliveries(), once(members), 'the partial record says nobody is left');
    assert.deepEqual(await serving.errorsUntil('message relayed to the list'), []);
  });

  it('answers 452 4.3.1 when the state disk is full, sending nothing; once there is room, the next try reaches each member once', async () => {
    relay.reset();
    state.fill();
    const data = newMessage();
    assert.match(await serving.send(data), FULL);
    assert.equal(relay.received.length, 0);
    assert.deepEqual(
      (await serving.errorsUntil(DEFERRED[0] as string)).map((l) => [l.msg, l.code]),
      [[DEFERRED[0], 'RELAY_STATE_FULL']],
    );

    state.empty();
    assert.match(await serving.send(data), DELIVERED);
    assert.deepEqual(relay.deliveries(), once(members));
  });

  it('stops at the batch whose line cannot be written (452 4.3.1); once there is room, only that batch goes again', async () => {
    relay.reset();
    const third = 3;
    relay.onTransaction = (taken) => {
      if (taken === third) state.fill();
    };
    const data = newMessage();
    assert.match(await serving.send(data), FULL);
    assert.equal(relay.received.length, third, 'no batch after the one whose line failed');
    assert.equal((await serving.errorsUntil(DEFERRED[0] as string)).length, 1, 'one error line for the message');

    relay.onTransaction = undefined;
    state.empty();
    assert.match(await serving.send(data), DELIVERED);
    const twice = new Set(relay.received[third - 1]?.recipients);
    const expected = new Map(members.map((m) => [m, twice.has(m) ? 2 : 1]));
    assert.equal(twice.size, BATCH);
    assert.deepEqual(relay.deliveries(), expected, 'nobody missing; the batches recorded before the fault not sent again');
  });

  it('answers 451 4.3.0 while the state folder is read-only, sending nothing; writable again, the next try reaches each member once', async () => {
    relay.reset();
    state.readOnly();
    const data = newMessage();
    try {
      assert.match(await serving.send(data), UNWRITABLE);
    } finally {
      state.writable();
    }
    assert.equal(relay.received.length, 0);
    assert.equal((await serving.errorsUntil(DEFERRED[1] as string)).length, 1);
    assert.match(await serving.send(data), DELIVERED);
    assert.deepEqual(relay.deliveries(), once(members));
  });

  it('loses no mail when the bounces file cannot be written: refusals counted meanwhile, a DSN answered 452 and counted once sent again', async () => {
    relay.reset();
    const [gone, moved] = members;
    relay.refusals.set(gone as string, 550);
    relay.refusals.set(moved as string, 550);
    bounces.fill();
    try {
      assert.match(await serving.send(newMessage()), DELIVERED);
      const failing = 'bounces cannot be written to their file; they are counted in memory meanwhile';
      assert.deepEqual(
        (await serving.errorsUntil(failing)).map((l) => l.msg),
        [failing],
      );
      assert.deepEqual(await serving.bounced(LIST, 2), [gone, moved].sort(), 'counted in memory, the HTTP worker told');
      const report = dsn(BOUNCES, 'ancien.agent@example.org', 'lent@example.org');
      assert.match(await serving.send(report, BOUNCES, '<>'), FULL);
      assert.deepEqual(
        (await serving.errorsUntil(DEFERRED[0] as string)).map((l) => [l.msg, l.code]),
        [[DEFERRED[0], 'BOUNCES_FULL']],
        'one line for the DSN, none more for the second bounce',
      );
      bounces.empty();
      assert.match(await serving.send(report, BOUNCES, '<>'), /^250 2\.0\.0 .* : 1 destinataire en echec enregistre$/);
    } finally {
      bounces.empty();
    }
    const written = readFileSync(join(bounces.dir, 'bounces.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { address: string; source: string });
    assert.deepEqual(
      written.map((b) => [b.address, b.source]),
      [['ancien.agent@example.org', 'dsn']],
      'the DSN written once; the refusals during the fault only in memory',
    );
  });
});

describe('autolist serve writing to the outbox, on a small disk of its own', { timeout: 120_000, skip }, () => {
  let outbox: SmallDisk;
  let serving: Serving;
  before(async () => {
    outbox = SmallDisk.mount(1024);
    serving = new Serving(mkdtempSync(join(tmpdir(), 'autolist-disk-faults-')), { AUTOLIST_OUTBOX_DIR: outbox.dir, AUTOLIST_RELAY_BATCH_SIZE: String(BATCH) });
    await serving.start();
  });
  after(async () => {
    serving?.stop();
    await serving?.server.exited;
    outbox?.dispose();
    if (serving) rmSync(serving.dir, { recursive: true, force: true });
  });
  const recipients = (): string[] => outboxBatches(outbox.dir).flatMap((b) => b.recipients.map((r) => r.toLowerCase()));
  const files = (): string[] => readdirSync(outbox.dir).filter((name) => name !== '.filler');

  it('answers 452 4.3.1 when the outbox disk is full, writing nothing; once there is room, each member is written once', async () => {
    outbox.fill();
    const data = newMessage();
    assert.match(await serving.send(data), FULL);
    assert.deepEqual(files(), []);
    assert.equal((await serving.errorsUntil(DEFERRED[0] as string))[0]?.code, 'OUTBOX_FULL');
    outbox.empty();
    assert.match(await serving.send(data), DELIVERED);
    assert.deepEqual(recipients().sort(), [...members].sort());
  });

  it('answers 451 4.3.0 while the outbox is read-only; writable again, the next try writes each member once', async () => {
    for (const name of files()) rmSync(join(outbox.dir, name));
    outbox.readOnly();
    const data = newMessage();
    try {
      assert.match(await serving.send(data), UNWRITABLE);
    } finally {
      outbox.writable();
    }
    assert.equal((await serving.errorsUntil(DEFERRED[1] as string))[0]?.code, 'OUTBOX_WRITE_FAILED');
    assert.deepEqual(files(), []);
    assert.match(await serving.send(data), DELIVERED);
    assert.deepEqual(recipients().sort(), [...members].sort());
  });
});

describe('the outbox when its disk fills between two batches', { skip }, () => {
  it('refuses the batch that does not fit (OutboxFullError), leaving no part of it, after recording each batch written', async () => {
    const disk = SmallDisk.mount(128);
    try {
      const sender = new OutboxSender(disk.dir);
      const recorded: string[] = [];
      const body = Buffer.alloc(20_000, 'm');
      let failure: unknown;
      for (let index = 0; failure === undefined && index < 100; index++) {
        const batch = { id: `batch-${index}`, sender: 'x@example.org', recipients: [`r${index}@example.org`], message: body };
        await sender.send(batch, () => void recorded.push(batch.id)).catch((error: unknown) => (failure = error));
      }
      assert.ok(failure instanceof OutboxFullError, String(failure));
      assert.ok(recorded.length > 0);
      assert.deepEqual(readdirSync(disk.dir).sort(), recorded.flatMap((id) => [`${id}.eml`, `${id}.json`]).sort(), 'the batches recorded, whole, and nothing of the one refused');
    } finally {
      disk.dispose();
    }
  });
});
