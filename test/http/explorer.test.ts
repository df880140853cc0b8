import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { type Chromium, openChromium } from '../harness/chromium.js';
import { D, TestServer } from './helpers.js';

/** Screenshots go here (git-ignored). */
const OUT = join('test', 'out');

/** The explorer in Debian's chromium, against autolist listening on a loopback port. */
describe('the explorer page in a real browser', { timeout: 120_000 }, () => {
  let server: TestServer;
  let browser: Chromium | undefined;
  let page: Page;
  before(async () => {
    server = await TestServer.start();
    browser = await openChromium();
    page = await browser.context.newPage();
  });
  after(async () => {
    await browser?.close();
    await server.close();
  });

  const text = async (selector: string): Promise<string> => (await page.locator(selector).textContent())?.trim() ?? '';

  it('completes an address as it is typed, and chooses a completion with the keyboard', async () => {
    await page.goto(`${server.origin}/`);
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    const address = page.getByLabel('Adresse de la liste');
    await address.pressSequentially(`liste.chefs-56@li`);
    const option = page.getByRole('option', { name: new RegExp(`liste\\.chefs-56${D}`) });
    await option.waitFor();
    assert.equal(await address.getAttribute('aria-expanded'), 'true');
    await address.press('ArrowDown');
    assert.equal(await option.getAttribute('aria-selected'), 'true');
    await address.press('Enter');
    assert.equal(await address.inputValue(), `liste.chefs-56${D}`);
  });

  it('shows the list: description, filter and its member count, as the API counts it', async () => {
    const { count } = (await server.request(`/v1/lists/liste.chefs-56${D}/members?count`)).json();
    await page.locator('#count').filter({ hasText: 'membre' }).waitFor();
    assert.equal(await text('#count'), `${count} membres`);
    assert.equal(await text('#description'), 'Chefs du département 56');
    assert.equal(await text('#filter'), '(&(title=chef)(departmentNumber=56))');
    assert.ok((await page.locator('#members li').allTextContents()).includes('chef.bretagne@example.org'));
  });

  it('says a gendarme may not write to the list and a chef may, with the reasons', async () => {
    const decide = async (sender: string): Promise<string> => {
      await page.getByLabel('Expéditeur', { exact: true }).fill(sender);
      await page.getByLabel('Action', { exact: true }).selectOption('send');
      await page.getByRole('button', { name: 'Décider' }).click();
      await page.locator('#decision .verdict').filter({ hasText: /./ }).waitFor();
      await page.waitForFunction((who) => document.querySelector('#decision')?.textContent?.includes(who), sender);
      return text('#verdict');
    };
    assert.equal(await decide('gendarme.bretagne@example.org'), 'Refusé');
    assert.match(await text('#decision'), /l’expéditeur gendarme\.bretagne@example\.org n’est pas un chef : title vaut gendarme/);
    assert.equal(await decide('chef.bretagne@example.org'), 'Autorisé');
  });

  it('says why a person is not a member, part by part in the charter’s words', async () => {
    await page.getByLabel('Adresse de la personne').fill('gendarme.bretagne@example.org');
    await page.getByRole('button', { name: 'Vérifier' }).click();
    await page.locator('#membership table').waitFor();
    assert.equal(await text('#membership .verdict'), 'gendarme.bretagne@example.org n’est pas membre');
    const rows = await page.locator('#membership tr').allTextContents();
    assert.deepEqual(rows.slice(1), ['chefs(title=chef)non', 'du département 56(departmentNumber=56)oui']);
  });

  it('switches to English and back, redrawing what is shown', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await text('#verdict'), 'Allowed');
    assert.match(await text('#count'), /^\d+ members$/);
    await page.getByLabel('List address').waitFor();
    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: join(OUT, 'explorer.png'), fullPage: true });
    await page.getByRole('button', { name: 'Français' }).click();
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    assert.equal(await text('#verdict'), 'Autorisé');
  });

  it('explains an address that names no list: where it goes wrong and close valid names', async () => {
    const address = page.getByLabel('Adresse de la liste');
    await address.fill(`liste.chfs-56${D}`);
    await address.press('Enter');
    await page.locator('#problem-title').filter({ hasText: 'Liste inexistante' }).waitFor();
    assert.match(await text('#problem-column'), /colonne 9/);
    await page.getByRole('button', { name: `liste.chefs-56${D}` }).click();
    await page.locator('#count').filter({ hasText: 'membre' }).waitFor();
    assert.equal(await page.locator('#problem').isHidden(), true);
  });

  it('shows each family’s grammar and examples on the families page', async () => {
    await page.getByRole('link', { name: 'Familles' }).click();
    await page.getByRole('heading', { name: 'liste' }).waitFor();
    assert.match((await page.locator('#families pre').first().textContent()) ?? '', /::=/);
    assert.ok((await page.getByRole('link', { name: `liste.chefs-56${D}` }).count()) >= 1);
    assert.equal(await page.getByRole('link', { name: 'Familles' }).getAttribute('aria-current'), 'page');
    await page.screenshot({ path: join(OUT, 'families.png'), fullPage: true });
  });

  it('asks for the read token when the server wants one, then shows the list', async () => {
    const guarded = await TestServer.start({ env: { AUTOLIST_HTTP_READ_TOKEN: 'read-token-0123456789' } });
    try {
      await page.goto(`${guarded.origin}/?address=${encodeURIComponent(`liste.chefs-56${D}`)}`);
      const token = page.getByLabel('Jeton d’accès');
      await token.waitFor();
      await token.fill('read-token-0123456789');
      await token.press('Enter');
      await page.locator('#count').filter({ hasText: 'membre' }).waitFor();
      assert.equal(await token.isHidden(), true);
    } finally {
      await guarded.close();
    }
  });
});
