import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { familiesWith, type FamiliesCopy } from '../harness/families.js';
import { ServeProcess } from '../harness/serve.js';
import { D } from './helpers.js';

/** Bounds a wait for the server process (a hang fails the test instead of holding the run). */
const PROCESS_TIMEOUT_MS = 60_000;

describe('autolist serve (the process)', { timeout: PROCESS_TIMEOUT_MS }, () => {
  let families: FamiliesCopy;
  let charter: string;
  let original: string;
  let server: ServeProcess;
  let origin: string;
  before(async () => {
    families = familiesWith();
    charter = families.liste;
    original = readFileSync(charter, 'utf8');
    server = ServeProcess.start({
      AUTOLIST_FAMILIES_DIR: families.dir,
      AUTOLIST_HTTP_HOST: '127.0.0.1',
      AUTOLIST_HTTP_PORT: '0',
      AUTOLIST_SMTP_PORT: '0',
      AUTOLIST_OUTBOX_DIR: join(families.dir, 'outbox'),
      AUTOLIST_LOG_LEVEL: 'info',
    });
    origin = String((await server.fronts()).http);
  });
  after(() => {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
    families.dispose();
  });

  const subject = async (): Promise<string> => ((await (await fetch(`${origin}/v1/lists/liste.chefs-56${D}`)).json()) as { subject: string }).subject;

  it('serves the API and the explorer page on the configured address', async () => {
    assert.match(origin, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(await subject(), '[chefs-56]');
    const page = await fetch(`${origin}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<html lang="fr">/);
  });

  it('says so, and exits 75, when its port is taken', async () => {
    const second = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
      env: { ...process.env, AUTOLIST_HTTP_HOST: '127.0.0.1', AUTOLIST_HTTP_PORT: new URL(origin).port, AUTOLIST_SMTP_PORT: '0', AUTOLIST_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    second.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise((resolve) => second.once('exit', resolve));
    assert.equal(code, 75);
    assert.match(stderr, /autolist serve: the HTTP front cannot listen on 127\.0\.0\.1:\d+: EADDRINUSE/);
  });

  it('reloads the families on SIGHUP, and keeps them when a charter does not compile', async () => {
    writeFileSync(charter, original.replace('subject             "[{who}-{where}]"', 'subject             "[{who}/{where}]"'));
    let from = server.lines.length;
    server.child.kill('SIGHUP');
    await server.logged('families reloaded on every worker', from);
    assert.equal(await subject(), '[chefs/56]');

    writeFileSync(charter, `${original}\n<broken> ::= <nowhere>\n`);
    from = server.lines.length;
    server.child.kill('SIGHUP');
    const refused = await server.logged('families not reloaded: a charter does not compile; the families in service stay', from);
    assert.ok(JSON.stringify(refused.diagnostics).includes('nowhere'));
    assert.equal(await subject(), '[chefs/56]');
  });

  it('stops cleanly on SIGTERM: exit code 0 once the requests under way are answered', async () => {
    const response = await fetch(`${origin}/v1/lists/liste.personnels-national${D}/members`, { headers: { accept: 'text/plain' } });
    assert.equal(response.status, 200);
    const from = server.lines.length;
    server.child.kill('SIGTERM');
    await server.logged('stopping: finishing the requests under way', from);
    assert.ok((await response.text()).split('\n').length > 1000);
    assert.equal(await server.exited, 0);
    await server.logged('stopped', from);
  });
});
