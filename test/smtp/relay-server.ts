/**
 * An SMTP relay (smtp-server on 127.0.0.1) whose answers a test chooses: recipients it refuses, and
 * how many transactions it takes before it answers 451 to MAIL FROM (it is going down). It records
 * each transaction it accepts before its 250, and can call a test back at that moment.
 */
import { SMTPServer } from 'smtp-server';

export class TestRelay {
  /** Each transaction taken: its recipients, and when it was recorded (milliseconds), just before its 250. */
  readonly received: Array<{ recipients: string[]; at: number }> = [];
  /** Recipients refused at RCPT, with the reply code. */
  readonly refusals = new Map<string, number>();
  /** Transactions still taken before MAIL FROM is answered 451; undefined: no limit. */
  transactionsLeft: number | undefined;
  /** Connections opened so far. */
  connections = 0;
  /** Called with the count of transactions taken so far, once each is recorded and before its 250 is sent. */
  /** Called as each transaction is taken, before its 250; a promise returned holds the 250 until it settles. */
  onTransaction: ((taken: number) => void | Promise<void>) | undefined;

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(): Promise<TestRelay> {
    let relay: TestRelay | undefined;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onConnect(_session, callback) {
        (relay as TestRelay).connections++;
        callback();
      },
      onMailFrom(_address, _session, callback) {
        const self = relay as TestRelay;
        if (self.transactionsLeft === undefined || self.transactionsLeft-- > 0) return callback();
        callback(Object.assign(new Error('4.3.2 going down for maintenance'), { responseCode: 451 }));
      },
      onRcptTo(address, _session, callback) {
        const code = (relay as TestRelay).refusals.get(address.address);
        if (code === undefined) return callback();
        callback(Object.assign(new Error(`${code < 500 ? '4.2.0 try later' : '5.1.1 no such user'}`), { responseCode: code }));
      },
      onData(stream, session, callback) {
        stream.resume();
        stream.on('end', () => {
          const self = relay as TestRelay;
          self.received.push({ recipients: session.envelope.rcptTo.map((r) => r.address), at: Date.now() });
          const holding = self.onTransaction?.(self.received.length);
          if (holding === undefined) return callback();
          holding.then(() => callback(), callback);
        });
      },
    });
    // A client killed in the middle of a transaction resets its connection: nothing to do about it here.
    server.on('error', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    relay = new TestRelay(server, (server.server.address() as { port: number }).port);
    return relay;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Forgets what was received and refused; takes every transaction again. */
  reset(): void {
    this.received.length = 0;
    this.refusals.clear();
    this.transactionsLeft = undefined;
    this.onTransaction = undefined;
  }

  /** How many times each recipient received a message. */
  deliveries(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const r of this.received.flatMap((t) => t.recipients)) counts.set(r, (counts.get(r) ?? 0) + 1);
    return counts;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
