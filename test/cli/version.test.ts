import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../src/config/config.js';
import { autolist } from '../harness/cli.js';

const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };

describe('autolist --version', () => {
  it("prints package.json's version and nothing else (exit 0), as autolist version does", async () => {
    assert.match(version, /^\d+\.\d+\.\d+/);
    for (const args of [['--version'], ['-V'], ['version']]) {
      const r = await autolist(args);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `${version}\n`, args.join(' '));
      assert.equal(r.stderr, '');
    }
    assert.equal((await autolist(['version', 'extra'])).code, 2);
  });

  it('is in the usage text', async () => {
    const r = await autolist(['--help']);
    assert.match(r.stdout, /autolist --version/);
    assert.match(r.stdout, /^ {2}version +print autolist's version/m);
  });
});
