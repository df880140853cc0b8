/**
 * The configuration README.md gives operators, read from README.md itself so that the tests run
 * what it says: the main.cf and master.cf blocks of "Postfix in front", the environment of
 * "Operating autolist". Each check that its block still names what the tests substitute.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/config/config.js';

/** The ports README.md's main.cf example names for the socketmap and the policy server. */
const README_SOCKETMAP = '127.0.0.1:2526';
const README_POLICY = '127.0.0.1:2527';
/** The listener README.md's master.cf example gives autolist's relay back through Postfix. */
const README_RELAY_LISTENER = '127.0.0.1:10025';

/** A section of README.md, from its heading to the next heading of its level. */
function readmeSection(heading: string): string {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n## ${heading}\n`);
  assert.ok(start !== -1, `README.md: no section "${heading}"`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

/** The first fenced block after the text that matches `intro`, within the section. */
function blockAfter(section: string, intro: RegExp, what: string): string {
  const match = new RegExp(`${intro.source}[\\s\\S]*?\\n[ \\t]*\`\`\`\\n([\\s\\S]*?)\`\`\``).exec(section);
  assert.ok(match?.[1], `README.md: no ${what}`);
  return match[1];
}

/** The main.cf block of README.md's "Postfix in front", with the test's ports for autolist's servers. */
export function readmeMainCf(ports: { socketmap: number; policy: number }): string {
  const block = blockAfter(readmeSection('Postfix in front'), /\nmain\.cf \([\s\S]*?\):/, 'main.cf block under "Postfix in front"');
  for (const parameter of ['relay_recipient_maps', 'transport_maps', 'check_policy_service'])
    assert.match(block, new RegExp(`^\\s*${parameter}\\b`, 'm'), `README.md's main.cf has no ${parameter} line`);
  assert.ok(block.includes(`socketmap:inet:${README_SOCKETMAP}:lists`) && block.includes(`inet:${README_POLICY},`), "README.md's main.cf names other ports than its text");
  return block.replaceAll(README_SOCKETMAP, `127.0.0.1:${ports.socketmap}`).replaceAll(README_POLICY, `127.0.0.1:${ports.policy}`);
}

/** The master.cf block of README.md's "Postfix in front" (the listener autolist relays to), on the test's port. */
export function readmeMasterCf(relayPort: number): string {
  const block = blockAfter(readmeSection('Postfix in front'), /\nmaster\.cf:/, 'master.cf block under "Postfix in front"');
  assert.ok(block.startsWith(`${README_RELAY_LISTENER} `), `README.md's master.cf does not start with the ${README_RELAY_LISTENER} listener`);
  return block.replaceAll(README_RELAY_LISTENER, `127.0.0.1:${relayPort}`);
}

/** The environment of README.md's "Operating autolist" (mx1's, as written), variable by variable. */
export function readmeReplicaEnv(): Record<string, string> {
  const block = blockAfter(readmeSection('Operating autolist'), /Its environment,/, 'environment block under "Operating autolist"');
  const env: Record<string, string> = {};
  for (const line of block
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)) {
    const match = /^(AUTOLIST_[A-Z0-9_]+)=(.*)$/.exec(line);
    assert.ok(match, `README.md's environment block: not NAME=value: ${line}`);
    env[match[1] as string] = match[2] as string;
  }
  return env;
}
