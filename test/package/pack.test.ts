import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** What `autolist serve` reads at run time, besides the compiled code: the families, the demo directory, the explorer page. */
const RUNTIME_FOLDERS = ['families', 'demo', 'explorer'];

// Built and packed in a copy of the checkout's files, so that the checkout's own dist/ is left alone.
const copy = mkdtempSync(join(tmpdir(), 'autolist-pack-'));
after(() => rmSync(copy, { recursive: true, force: true }));
let files: string[] = [];
let packed: string[] = [];

before(async () => {
  // What npm pack would see in the working tree: the files git tracks, and those it does not ignore.
  files = (await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 })).stdout
    .split('\0')
    .filter((f) => f !== '' && existsSync(join(ROOT, f)));
  for (const file of files) {
    mkdirSync(join(copy, dirname(file)), { recursive: true });
    cpSync(join(ROOT, file), join(copy, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  await run(NPM, ['run', '--silent', 'build'], { cwd: copy, timeout: 300_000 });
  const { stdout } = await run(NPM, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: copy, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
  packed = (JSON.parse(stdout) as { files: { path: string }[] }[])[0]?.files.map((f) => f.path) ?? [];
});

describe('npm pack', () => {
  it('ships the compiled code, the grammar, the families, the demo directory, the explorer page, README, LICENSE and package.json', () => {
    for (const file of ['package.json', 'README.md', 'LICENSE', 'dist/cli/main.js', 'dist/charter/generated/charter-grammar.js', 'grammar/charter.ne'])
      assert.ok(packed.includes(file), `${file} packed`);
    for (const file of files.filter((f) => RUNTIME_FOLDERS.some((folder) => f.startsWith(`${folder}/`)))) assert.ok(packed.includes(file), `${file} packed`);
    const built = readdirSync(join(copy, 'dist'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    assert.equal(packed.filter((f) => f.startsWith('dist/')).length, built.length, 'the whole build');
  });

  it('ships nothing else: no sources, tests, benches, fixtures or state', () => {
    const allowed = /^(package\.json|README\.md|LICENSE|(dist|grammar|families|demo|explorer)\/.+)$/;
    assert.deepEqual(
      packed.filter((f) => !allowed.test(f)),
      [],
    );
    assert.deepEqual(
      packed.filter((f) => /(^|\/)(test|bench|fixtures)\/|\.test\.[jt]s$/.test(f)),
      [],
    );
  });

  it('is a command that runs from what is packed', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const main = join(copy, 'dist', 'cli', 'main.js');
    assert.equal((await run(process.execPath, [main, '--version'], { cwd: tmpdir() })).stdout, `${version}\n`);
    const check = await run(process.execPath, [main, 'check'], { cwd: tmpdir(), env: { ...process.env, AUTOLIST_FAMILIES_DIR: '' } });
    assert.match(check.stdout, /2 of 2 families compiled/);
    assert.ok(check.stdout.includes(join(copy, 'families')), 'the families beside the compiled code');
  });
});
