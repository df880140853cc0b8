/**
 * The moderation view in Debian's chromium, opened from the links of the notifications the sink
 * got (`autolist serve` relaying to smtp-sink, as in moderation.e2e.test.ts): a held message
 * approved in the page reaches every member once and the page says so; opened again, it says who
 * decided and when; a moderator coming second is told who came first; a rejection with a reason
 * from the list view (French) tells the author; a forged or expired link says so. The message's
 * text, HTML included, shows as text; the pages send no referrer.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { type Chromium, openChromium } from '../harness/chromium.js';
import { waitUntil } from '../harness/wait.js';
import { AUTHOR, CHEFS, GENDARME, ModerationRig, type Notice } from './rig.js';

/** Screenshots go here (git-ignored). */
const OUT = join('test', 'out');

describe('the moderation view in a real browser', { timeout: 240_000 }, () => {
  let rig: ModerationRig;
  let browser: Chromium | undefined;
  let page: Page;

  before(async () => {
    rig = await ModerationRig.start([
      { name: 'revue', language: 'en', expiry: '2d' },
      { name: 'critique', language: 'fr', expiry: '2d' },
      { name: 'brief', language: 'en', expiry: '3s' },
    ]);
    browser = await openChromium();
    page = await browser.context.newPage();
  });
  after(async () => {
    await browser?.close();
    await rig?.dispose();
  });

  /** Opens a notification's link (PUBLIC_URL/moderation/...) on this server, as the moderator's click would. */
  const open = async (notice: Notice, kind: 'message' | 'list' = 'message'): Promise<void> => {
    const response = await page.goto(`${rig.http}/${ModerationRig.linkOf(notice.text, kind)}`);
    assert.equal(response?.status(), 200);
    assert.equal(response?.headers()['referrer-policy'], 'no-referrer');
  };

  it('shows a held message from the link in the mail, its HTML as text; approved in the page, it reaches every member once and the page says so', async () => {
    const list = 'revue-56@lists.example.org';
    const body = 'Hello <b>members</b>, <img src=x onerror="document.title=1">\nsee you.';
    const { notices, subject } = await rig.post(AUTHOR, list, ['owner.revue@example.org'], body);
    await open(notices.get('owner.revue@example.org') as Notice);
    // The family speaks English: the page follows it (the visitor chose nothing).
    await page.getByRole('heading', { name: 'A message held for moderation' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.locator('article h2').textContent(), subject);
    assert.match((await page.locator('#moderator').textContent()) ?? '', /You decide as owner\.revue@example\.org/);
    const text = (await page.locator('pre.text').textContent()) ?? '';
    assert.ok(text.startsWith('Hello <b>members</b>, <img src=x onerror="document.title=1">') && text.endsWith('see you.'), text);
    assert.equal(await page.locator('pre.text b, pre.text img').count(), 0);
    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: join(OUT, 'moderation.png'), fullPage: true });
    rig.sink.clear();
    await page.getByRole('button', { name: 'Approve' }).click();
    const outcome = page.locator('.outcome', { hasText: 'Approved by owner.revue@example.org on' });
    await outcome.waitFor();
    assert.match((await outcome.textContent()) ?? '', /It went to the list’s members\./);
    rig.assertEveryMemberOnce(list);
    assert.equal(await page.getByRole('button', { name: 'Approve' }).count(), 0);
  });

  it('opened again, the link says it was decided, by whom and when, and offers no decision', async () => {
    await page.reload();
    const outcome = page.locator('.outcome', { hasText: /^Approved by owner\.revue@example\.org on \d{1,2} \w+ \d{4} at \d\d:\d\d\./ });
    await outcome.waitFor();
    assert.equal(await page.getByRole('button', { name: 'Approve' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Reject' }).count(), 0);
  });

  it('tells a moderator who comes second, in the page, who decided first', async () => {
    const list = 'revue-56@lists.example.org';
    const { notices } = await rig.post(GENDARME, list, CHEFS);
    const [first, second] = CHEFS as [string, string];
    await open(notices.get(second) as Notice);
    await page.getByRole('button', { name: 'Approve' }).waitFor();
    assert.equal((await rig.decide(ModerationRig.tokenOf((notices.get(first) as Notice).text), 'approve')).status, 200);
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.locator('.outcome', { hasText: `Already approved by ${first} on` }).waitFor();
    rig.assertEveryMemberOnce(list);
  });

  it('rejects from the list view (French, the family’s language) with a reason, which the author is told', async () => {
    const list = 'critique-56@lists.example.org';
    const { notices, subject } = await rig.post(AUTHOR, list, ['owner.critique@example.org']);
    await open(notices.get('owner.critique@example.org') as Notice, 'list');
    await page.getByRole('heading', { name: `Messages en attente pour ${list}` }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    const held = page.locator('article', { has: page.getByRole('heading', { name: subject, exact: true }) });
    await held.getByLabel('Motif (transmis à l’auteur en cas de rejet ; facultatif)').fill('Hors sujet pour cette liste.');
    await held.getByRole('button', { name: 'Rejeter' }).click();
    await page.locator('.outcome', { hasText: 'Rejeté par owner.critique@example.org le' }).waitFor();
    await page.getByText('Motif : Hors sujet pour cette liste.').waitFor();
    await waitUntil(() => rig.mailTo(AUTHOR).length > 0, 'the author is told');
    assert.match(rig.mailTo(AUTHOR)[0] as string, /Le motif du modérateur : Hors sujet pour cette liste\./);
    assert.equal(rig.copies(list).size, 0);
  });

  it('says when a link is forged, or expired', async () => {
    await page.goto(`${rig.http}/moderation/eyJpZCI6IngiLCJieSI6InkiLCJleHAiOjk5OTk5OTk5OTl9.AAAA`);
    await page.locator('#status', { hasText: 'lien de modération n’est pas valable' }).waitFor();
    const { notices } = await rig.post(AUTHOR, 'brief-56@lists.example.org', ['owner.brief@example.org']);
    await waitUntil(() => rig.mailTo(AUTHOR).length > 0, 'the author is told of the expiry');
    await open(notices.get('owner.brief@example.org') as Notice);
    await page.locator('#status', { hasText: 'lien de modération a expiré' }).waitFor();
  });
});
