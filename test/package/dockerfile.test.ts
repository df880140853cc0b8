import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { loadConfig } from '../../src/config/config.js';
import { ServeProcess } from '../harness/serve.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');

/** The Node LTS autolist is tested on, and the one its image runs. */
const LTS_MAJOR = 24;

interface Instruction {
  keyword: string;
  args: string;
}

/** The Dockerfile's instructions, stage by stage (continuation lines joined, comments left out). */
function stages(text: string): Instruction[][] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const result: Instruction[][] = [];
  for (const line of lines) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === 'FROM') result.push([]);
    result.at(-1)?.push({ keyword: keyword.toUpperCase(), args });
  }
  return result;
}

const all = stages(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const final = all.at(-1) ?? [];
const args = (stage: Instruction[], keyword: string): string[] => stage.filter((i) => i.keyword === keyword).map((i) => i.args);
const exposed = args(final, 'EXPOSE')
  .flatMap((a) => a.split(/\s+/))
  .map((p) => Number(p.replace(/\/tcp$/, '')));

/** The healthcheck's command, from its exec form. */
function healthcheck(): string[] {
  const [check] = args(final, 'HEALTHCHECK');
  assert.ok(check, 'a HEALTHCHECK in the final stage');
  const exec = /CMD\s+(\[.*\])\s*$/.exec(check);
  assert.ok(exec?.[1], `an exec-form CMD: ${check}`);
  return JSON.parse(exec[1]) as string[];
}

describe('the Dockerfile', () => {
  it(`runs on one exact release of Node ${LTS_MAJOR}, the LTS, in every stage`, () => {
    const images = all.map((stage) => (stage[0]?.args ?? '').split(/\s+/)[0] ?? '');
    assert.ok(images.length >= 2, 'a build stage and a runtime stage');
    for (const image of images) {
      const pinned = /^node:(\d+)\.\d+\.\d+-[a-z-]+(@sha256:[0-9a-f]{64})?$/.exec(image);
      assert.ok(pinned, `${image} names an exact Node release`);
      assert.equal(Number(pinned[1]), LTS_MAJOR, image);
    }
    assert.equal(new Set(images).size, 1, 'the same image in every stage');
  });

  it("EXPOSEs each front's port: HTTP's and SMTP's defaults, the ports the image sets, the Postfix ports README's main.cf uses", () => {
    const defaults = loadConfig({});
    assert.ok(exposed.includes(defaults.http.port) && exposed.includes(defaults.smtp.port), `${defaults.http.port} and ${defaults.smtp.port} in ${exposed.join(' ')}`);
    const set = args(final, 'ENV').flatMap((a) => [...a.matchAll(/AUTOLIST_\w+_PORT=(\d+)/g)].map((m) => Number(m[1])));
    for (const port of set) assert.ok(exposed.includes(port), `${port} (ENV) in ${exposed.join(' ')}`);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const postfix = ['AUTOLIST_POSTFIX_SOCKETMAP_PORT', 'AUTOLIST_POSTFIX_POLICY_PORT'].map((name) => Number(new RegExp(`\`${name}=(\\d+)\``).exec(readme)?.[1]));
    for (const port of postfix) assert.ok(exposed.includes(port), `${port} (README's Postfix example) in ${exposed.join(' ')}`);
  });

  it('checks /healthz with node (the slim image has no curl), runs as an unprivileged user, keeps outbox and state in volumes', () => {
    const command = healthcheck();
    assert.equal(command[0], 'node');
    assert.match(command.join(' '), /\/healthz/);
    const user = args(final, 'USER').at(-1);
    assert.ok(user !== undefined && !/^(root|0)(:|$)/.test(user), `USER ${user}`);
    const volumes = args(final, 'VOLUME').join(' ');
    for (const folder of ['/app/outbox', '/app/state']) assert.ok(volumes.includes(folder), `${folder} in VOLUME ${volumes}`);
  });

  it('installs from the lockfile (npm ci), builds, and keeps production dependencies only in the image it runs', () => {
    const build = all.slice(0, -1).flat();
    const runs = (stage: Instruction[]): string => args(stage, 'RUN').join('\n');
    assert.match(runs(build), /\bnpm ci\b/);
    assert.match(runs(build), /\bnpm run build\b/);
    assert.match(runs(final), /\bnpm ci --omit=dev\b/);
    assert.doesNotMatch(runs(all.flat()), /\bnpm (install|i)\b/);
    assert.ok(
      args(final, 'COPY').some((a) => /--from=\S+ \/app\/dist dist/.test(a)),
      'the compiled code from the build stage',
    );
  });
});

describe("the image's healthcheck command", { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'autolist-healthcheck-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('succeeds while autolist serves, fails once it has stopped', async () => {
    const [node, ...rest] = healthcheck();
    assert.equal(node, 'node');
    const server = ServeProcess.inFolder(dir, {}, ['--fronts', 'http']);
    try {
      const port = new URL(String((await server.fronts()).http)).port;
      const check = (): Promise<number> =>
        run(process.execPath, rest, { env: { ...process.env, AUTOLIST_HTTP_PORT: port }, timeout: 30_000 }).then(
          () => 0,
          (error: { code?: number }) => error.code ?? -1,
        );
      assert.equal(await check(), 0);
      server.child.kill('SIGTERM');
      assert.equal(await server.exited, 0);
      assert.equal(await check(), 1);
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
  });
});
