import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../src/config/config.js';
import type { Services } from '../../src/services.js';
import { openModeration } from '../../src/smtp/index.js';
import { D } from '../harness/families.js';
import { testServices } from '../harness/services.js';
import { outboxBatches } from '../smtp/helpers.js';

const MINUTE = 60_000;

describe('a decision not yet carried out is its decider’s for ten minutes, then the sweep’s', () => {
  let dir: string;
  let services: Services;
  let opened: Awaited<ReturnType<typeof openModeration>>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'autolist-sweep-grace-'));
    cpSync(join(PROJECT_ROOT, 'families'), join(dir, 'families'), { recursive: true });
    cpSync(join(PROJECT_ROOT, 'test', 'fixtures', 'families', 'revue'), join(dir, 'families', 'revue'), { recursive: true });
    services = await testServices({
      env: { AUTOLIST_FAMILIES_DIR: join(dir, 'families'), AUTOLIST_OUTBOX_DIR: join(dir, 'outbox'), AUTOLIST_RELAY_STATE_DIR: join(dir, 'state'), AUTOLIST_BOUNCES_FILE: join(dir, 'bounces.log') },
    });
    opened = await openModeration(services);
  });

  after(async () => {
    await opened.close();
    await services.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves an approval another process is carrying out alone, and carries out one left undone', async () => {
    const heldAt = new Date();
    const raw = Buffer.from('From: gendarme.bretagne@example.org\r\nSubject: Hold me\r\nMessage-ID: <grace@example.org>\r\n\r\nBody\r\n');
    const held = await services.held.hold({ list: `revue-56${D}`, sender: 'gendarme.bretagne@example.org', raw, heldAt, expiresAt: new Date(heldAt.getTime() + 2 * 24 * 60 * MINUTE), moderators: [] });
    // Decided by another process (autolist approve), which has not carried it out yet.
    const decidedAt = new Date();
    await services.held.decide(held.id, { state: 'approved', by: 'admin', at: decidedAt });
    await opened.moderation.sweep(new Date(decidedAt.getTime() + 9 * MINUTE));
    assert.equal((await services.held.get(held.id))?.settled, false);
    assert.equal(outboxBatches(join(dir, 'outbox')).length, 0, 'the sweep relayed beside the decider');
    await opened.moderation.sweep(new Date(decidedAt.getTime() + 11 * MINUTE));
    assert.equal((await services.held.get(held.id))?.settled, true);
    const batches = outboxBatches(join(dir, 'outbox'));
    assert.ok(batches.length > 0, 'the approval left undone was carried out');
    const members = (await services.membership.expand(services.catalog.resolver.resolve(`revue-56${D}`))).members;
    assert.deepEqual(new Set(batches.flatMap((b) => b.recipients)), new Set(members));
  });
});
