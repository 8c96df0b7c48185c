import { describe, expect, it } from 'vitest';
import { JobViewCache } from '../src/jobs/job-view-cache.ts';

describe('JobViewCache', () => {
  it('serves a text only to its owner and only while fresh', () => {
    const cache = new JobViewCache(1000, 2000);
    cache.set('a', 'alice', '{"a":1}', 0);
    expect(cache.get('a', 'alice', 1000)).toBe('{"a":1}');
    expect(cache.get('a', 'bob', 1000)).toBeUndefined();
    expect(cache.get('a', 'alice', 2001)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('forgets deleted jobs and evicts the least recently used beyond its byte budget', () => {
    const cache = new JobViewCache(800, 60_000);
    for (const id of ['a', 'b', 'c', 'd']) cache.set(id, 'o', 'x'.repeat(100), 0);
    cache.get('a', 'o', 1); // a is now the most recently used
    for (const id of ['e', 'f', 'g', 'h', 'i']) cache.set(id, 'o', 'x'.repeat(100), 2);
    expect(cache.get('a', 'o', 3)).toBeDefined();
    expect(cache.get('b', 'o', 3)).toBeUndefined();
    cache.delete('a');
    expect(cache.get('a', 'o', 4)).toBeUndefined();
  });

  it('does not let one huge text push out everything else', () => {
    const cache = new JobViewCache(800, 60_000);
    cache.set('small', 'o', 'x', 0);
    cache.set('huge', 'o', 'x'.repeat(500), 0);
    expect(cache.get('huge', 'o', 1)).toBeUndefined();
    expect(cache.get('small', 'o', 1)).toBe('x');
  });
});
