import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyLocks } from '../../src/workers/key-locks.js';

describe("the supervisor's key locks", () => {
  it('grants a key to one holder at a time, the others in the order they asked', () => {
    const locks = new KeyLocks<string>();
    const granted: string[] = [];
    locks.acquire('k', 'a', () => granted.push('a'));
    locks.acquire('k', 'b', () => granted.push('b'));
    locks.acquire('k', 'c', () => granted.push('c'));
    locks.acquire('other', 'b', () => granted.push('b:other'));
    assert.deepEqual(granted, ['a', 'b:other']);
    locks.release('k', 'b');
    assert.deepEqual(granted, ['a', 'b:other'], 'only the holder lets go');
    locks.release('k', 'a');
    locks.release('k', 'b');
    assert.deepEqual(granted, ['a', 'b:other', 'b', 'c']);
    locks.release('k', 'c');
    locks.release('other', 'b');
    assert.equal(locks.size, 0);
  });

  it('lets go of the keys of a holder that is gone, and of its place in line', () => {
    const locks = new KeyLocks<string>();
    const granted: string[] = [];
    locks.acquire('k', 'dead', () => granted.push('dead'));
    locks.acquire('j', 'alive', () => granted.push('alive:j'));
    locks.acquire('j', 'dead', () => granted.push('dead:j'));
    locks.acquire('k', 'alive', () => granted.push('alive:k'));
    locks.forget('dead');
    assert.deepEqual(granted, ['dead', 'alive:j', 'alive:k']);
    locks.release('j', 'alive');
    assert.deepEqual(granted, ['dead', 'alive:j', 'alive:k'], 'the dead holder waits no more');
    locks.release('k', 'alive');
    assert.equal(locks.size, 0);
  });
});
