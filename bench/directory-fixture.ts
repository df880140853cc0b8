/**
 * What the directory benchmarks share: the 100,000-person fixture (generated on first use into
 * bench/out/), a slapd loaded with it, and measuring helpers.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeDirectory } from '../test/fixtures/generate-directory.js';
import { Slapd } from '../test/harness/slapd.js';

export const PERSONS = 100_000;
const SEED = 7;

/** The fixture's LDIF file (PERSONS persons unless told), generated if it is not there yet. */
export async function fixtureFile(persons = PERSONS): Promise<string> {
  const fixture = join(import.meta.dirname, 'out', `persons-${persons}-seed-${SEED}.ldif`);
  if (!existsSync(fixture)) {
    mkdirSync(join(import.meta.dirname, 'out'), { recursive: true });
    const started = performance.now();
    await writeDirectory(fixture, { persons, seed: SEED });
    console.log(`generated ${fixture} in ${seconds(performance.now() - started)}`);
  }
  return fixture;
}

/** A slapd serving a fixture of `persons` persons on loopback. */
export async function startSlapd(ldif: string, persons = PERSONS): Promise<Slapd> {
  const started = performance.now();
  const slapd = await Slapd.start({ ldif });
  console.log(`slapd loaded with ${persons.toLocaleString('en')} persons (slapadd and start) in ${seconds(performance.now() - started)}`);
  return slapd;
}

/** Milliseconds `work` takes, and its result. */
export async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await work();
  return [performance.now() - started, result];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** The heap in use after a full collection (the process must run with --expose-gc). */
export function heapAfterGc(): number {
  if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc (npm run bench:members / bench:embedded)');
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

/** The process's peak resident set size so far. */
export function peakRss(): string {
  return mb(process.resourceUsage().maxRSS * 1024);
}

export const ms = (value: number): string => `${value.toFixed(1)} ms`;
export const seconds = (value: number): string => `${(value / 1000).toFixed(2)} s`;
export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
export const verdict = (met: boolean): string => (met ? 'met' : 'NOT met');
