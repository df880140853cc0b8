import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { type Chromium, openChromium } from '../harness/chromium.js';
import { familiesWith } from '../harness/families.js';
import { ServeProcess } from '../harness/serve.js';
import { waitUntil } from '../harness/wait.js';
import { message, outboxBatches, swaks } from '../smtp/helpers.js';
import { EQUIPES } from './studio-family.js';

const OUT = join('test', 'out');
const ADMIN = 'admin-token-0123456789';

/**
 * The studio in Debian's chromium against `autolist serve` (its HTTP and SMTP fronts in workers of
 * their own): a family written from scratch in the page, checked, tried, installed, then mail sent
 * to one of its lists over SMTP reaches every member.
 */
describe('the charter studio in a real browser', { timeout: 240_000 }, () => {
  const families = familiesWith();
  let dir: string;
  let serve: ServeProcess;
  let fronts: Record<string, string>;
  let browser: Chromium | undefined;
  let page: Page;
  const api = async (path: string) => (await fetch(`${fronts.http}${path}`, { headers: { authorization: `Bearer ${ADMIN}` } })).json();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'autolist-studio-'));
    serve = ServeProcess.inFolder(dir, { AUTOLIST_FAMILIES_DIR: families.dir, AUTOLIST_HTTP_ADMIN_TOKEN: ADMIN });
    fronts = await serve.fronts();
    browser = await openChromium();
    page = await browser.context.newPage();
  });
  after(async () => {
    await browser?.close();
    await serve?.stop();
    rmSync(dir, { recursive: true, force: true });
    families.dispose();
  });

  const text = async (selector: string): Promise<string> => (await page.locator(selector).textContent())?.trim() ?? '';

  it('is linked from the header, and asks for the admin token before it checks anything', async () => {
    await page.goto(`${fronts.http}/`);
    await page.getByRole('link', { name: 'Studio' }).click();
    await page.getByLabel('Nom de la famille (son dossier)').fill('equipes');
    await page.getByLabel('Charte', { exact: true }).fill(EQUIPES.charter.split('\n').slice(0, 3).join('\n'));
    const token = page.getByLabel('Jeton d’accès');
    await token.waitFor();
    await token.fill(ADMIN);
    await token.press('Enter');
    await page.locator('#diagnostics li').first().waitFor();
    assert.equal(await token.isHidden(), true);
  });

  it('shows diagnostics at line:col as the charter is typed, painted from the compiler’s tokens', async () => {
    const charter = page.getByLabel('Charte', { exact: true });
    await charter.fill('');
    // Typed key by key: the header, then a grammar naming a lexicon not yet written.
    await charter.pressSequentially(EQUIPES.charter.slice(0, EQUIPES.charter.indexOf('rights send')));
    await page.locator('#diagnostics li', { hasText: 'metiers' }).waitFor();
    assert.match(await text('#check-status'), /problème/);
    assert.equal(await page.locator('#charter-paint .t-rule', { hasText: '<address>' }).count(), 1);
    assert.equal(await page.locator('#charter-paint .t-key', { hasText: 'family' }).count(), 1);
    assert.equal(await page.locator('#railroad svg').count(), 0);
    // The diagnostic takes the caret to its place.
    const first = page.locator('#diagnostics li button').first();
    const [, line] = /:(\d+):(\d+)$/.exec((await first.textContent()) ?? '') ?? [];
    await first.click();
    const caretLine = await charter.evaluate((area: HTMLTextAreaElement) => area.value.slice(0, area.selectionStart).split('\n').length);
    assert.equal(caretLine, Number(line));
  });

  it('compiles once the lexicon is written beside it, and draws each rule as a railroad diagram', async () => {
    await page.getByLabel('Nouveau lexique (nom de table)').fill('metiers');
    await page.getByRole('button', { name: 'Ajouter' }).click();
    const lexicon = page.getByLabel('metiers.tsv', { exact: true });
    await lexicon.fill(EQUIPES.lexicons.metiers);
    await page.getByLabel('Charte', { exact: true }).fill(EQUIPES.charter);
    await page.locator('#check-status', { hasText: 'Aucun problème' }).waitFor();
    assert.equal(await page.locator('#diagnostics li').count(), 0);
    assert.deepEqual(await page.locator('#railroad figcaption').allTextContents(), ['<address>', '<who>', '<dept>']);
    assert.equal(await page.locator('#railroad svg[role="img"]').count(), 3);
    assert.ok((await page.locator('#railroad svg').first().textContent())?.includes('<who>'));
  });

  it('tries an address on the live directory: description, member count, first members, a decision, the addresses', async () => {
    const { count } = await api('/v1/lists/liste.chefs-56@lists.example.org/members?count');
    await page.getByLabel('Adresse de la liste').fill('chefs-56');
    await page.getByLabel('Expéditeur', { exact: true }).fill('chef.bretagne@example.org');
    await page.getByRole('button', { name: 'Essayer', exact: true }).click();
    await page.locator('#try-count').waitFor();
    assert.equal(await text('#try-count'), `${count} membres`);
    assert.ok((await page.locator('#try-members li').allTextContents()).includes('chef.bretagne@example.org'));
    assert.equal(await text('#try-verdict'), 'Autorisé');
    assert.ok((await page.locator('#try-addresses li').allTextContents()).includes('chefs-01@teams.example.org'));
    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: join(OUT, 'studio.png'), fullPage: true });
  });

  it('installs the family: in service on every worker, mail to one of its lists reaches every member over SMTP', async () => {
    await page.getByRole('button', { name: 'Installer la famille' }).click();
    await page.locator('#install-status', { hasText: 'equipes installée' }).waitFor();
    const { members } = await api('/v1/lists/chefs-56@teams.example.org/members?limit=10000');
    assert.ok(members.length > 1);
    const port = Number(new URL(fronts.smtp as string).port);
    const letter = message({ From: 'chef.bretagne@example.org', To: 'chefs-56@teams.example.org', Subject: 'first mail to a studio list' }, 'Hello.');
    const sent = await swaks(port, { from: 'chef.bretagne@example.org', to: 'chefs-56@teams.example.org', data: letter });
    assert.match(sent.lastReply, /^250 /, sent.transcript);
    const outbox = join(dir, 'outbox');
    const reached = () => outboxBatches(outbox).flatMap((b) => b.recipients);
    await waitUntil(
      () => reached().length >= members.length,
      () => `${reached().length} of ${members.length} members reached`,
    );
    assert.deepEqual(reached().sort(), [...members].sort());
    for (const batch of outboxBatches(outbox)) assert.match(batch.message.toString(), /^Subject: \[chefs-56\] first mail to a studio list/m);
  });

  it('keeps the version an install replaces, and restores it from the page', async () => {
    const lexicon = page.getByLabel('metiers.tsv', { exact: true });
    await lexicon.fill(EQUIPES.lexicons.metiers.replace('\tChefs', '\tCheffes et chefs'));
    await page.getByRole('button', { name: 'Installer la famille' }).click();
    await page.locator('#install-status', { hasText: 'version précédente est conservée' }).waitFor();
    assert.equal((await api('/v1/lists/chefs-56@teams.example.org')).description, 'Cheffes et chefs du département 56');
    await page
      .getByRole('button', { name: /^Restaurer / })
      .first()
      .click();
    await page.locator('#install-status', { hasText: 'ouverte depuis le dossier' }).waitFor();
    assert.equal((await api('/v1/lists/chefs-56@teams.example.org')).description, 'Chefs du département 56');
    assert.equal(await page.getByLabel('metiers.tsv', { exact: true }).inputValue(), EQUIPES.lexicons.metiers);
  });
});
