import { describe, expect, it } from '@jest/globals';
import type { TarnConfig } from '../config/tarn-config.js';
import { ModelReadCache } from './model-read-cache.js';

const cacheOf = (bytes: number) => new ModelReadCache({ http: { modelCacheBytes: bytes } } as TarnConfig);

describe(ModelReadCache.name, () => {
  it('answers a body only at the revision it was read at', () => {
    const cache = cacheOf(1000);
    cache.set('1:{}', 3, Buffer.from('body-3'));
    expect(cache.get('1:{}', 3)?.toString()).toBe('body-3');
    expect(cache.get('1:{}', 4)).toBeUndefined();
    // A stale entry is dropped on the miss.
    expect(cache.get('1:{}', 3)).toBeUndefined();
  });

  it('drops the least recently used bodies beyond its size, and keeps none larger than a quarter', () => {
    const cache = cacheOf(100);
    cache.set('a', 1, Buffer.from('x'.repeat(20)));
    cache.set('b', 1, Buffer.from('y'.repeat(20)));
    expect(cache.get('a', 1)).toBeDefined(); // a is now the most recently used
    cache.set('c', 1, Buffer.from('z'.repeat(20)));
    cache.set('d', 1, Buffer.from('w'.repeat(20)));
    cache.set('e', 1, Buffer.from('v'.repeat(25)));
    expect(cache.get('b', 1)).toBeUndefined();
    expect(cache.get('a', 1)).toBeDefined();
    expect(cache.get('e', 1)).toBeDefined();
    cache.set('big', 1, Buffer.from('q'.repeat(26)));
    expect(cache.get('big', 1)).toBeUndefined();
  });

  it('keeps nothing with size 0', () => {
    const cache = cacheOf(0);
    cache.set('a', 1, Buffer.from('{}'));
    expect(cache.get('a', 1)).toBeUndefined();
  });
});
