import { describe, expect, it } from 'vitest';
import { createStorefront, isVitrineError, type StorefrontOptions } from '../../src/index.js';

const valid: StorefrontOptions = { storeId: '1003', api: 'https://api.example.com/', cdn: 'https://cdn.example.com', origin: 'https://origin.example.com' };

function errorOf(options: unknown) {
  try {
    createStorefront(options as StorefrontOptions);
  } catch (error) {
    return error;
  }
  throw new Error('createStorefront accepted invalid options');
}

describe('options', () => {
  it('fills every default, so a merchant only gives the four bases', () => {
    const store = createStorefront(valid);
    expect(store.options).toMatchObject({
      api: 'https://api.example.com',
      batch: { maxSize: 50 },
      cache: { ttlMs: 300_000, persist: true },
      retry: { attempts: 3, budget: 0.1 },
      images: { widths: { image: 1200, thumbnail: 400, smallThumbnail: 160 } },
      assets: { badTtlMs: 3_600_000, breakerThreshold: 3 },
      sampleRate: 1,
    });
  });

  it.each([
    [{ ...valid, storeId: '' }, 'storeId', /storeId: .*got ""/],
    [{ ...valid, storeId: 1003 }, 'storeId', /storeId: expected string, got 1003/],
    [{ ...valid, api: 'ftp://x' }, 'api', /api: expected an absolute http\(s\) URL.*got "ftp:\/\/x"/],
    [{ ...valid, cdn: undefined }, 'cdn', /cdn: expected string, got undefined/],
    [{ ...valid, batch: { maxSize: 0 } }, 'batch.maxSize', /batch\.maxSize: expected a value ≥ 1, got 0/],
    [{ ...valid, retry: { budget: 2 } }, 'retry.budget', /retry\.budget: expected a value ≤ 1, got 2/],
    [{ ...valid, sampleRate: '1' }, 'sampleRate', /sampleRate: expected number, got "1"/],
    [{ ...valid, release: 'spring sale' }, 'release', /release: expected 1–64 letters, digits, \. _ \+ or -, got "spring sale"/],
    [{ ...valid, release: '' }, 'release', /release: expected 1–64 letters, digits, \. _ \+ or -, got ""/],
    [{ ...valid, release: 'r'.repeat(65) }, 'release', /release: expected 1–64/],
    [{ ...valid, release: 42 }, 'release', /release: expected string, got 42/],
    [{ ...valid, fetch: 'fetch' }, 'fetch', /fetch: expected a fetch-compatible function/],
    [{ ...valid, images: { template: '{base}/x.webp' } }, 'images.template', /images\.template: expected a template with \{key\} and \{width\}/],
    [{ ...valid, batchSize: 10 }, '(root)', /Invalid option \(root\): unknown key\(s\) "batchSize"$/],
  ])('a wrong option is rejected with INVALID_OPTIONS naming the field (%#)', (options, field, message) => {
    const error = errorOf(options);
    expect(isVitrineError(error, 'INVALID_OPTIONS')).toBe(true);
    expect((error as { field: string }).field).toBe(field);
    expect((error as Error).message).toMatch(message);
  });

  it("release: the merchant's own tag, kept as given; none by default", () => {
    expect(createStorefront(valid).options.release).toBeUndefined();
    expect(createStorefront({ ...valid, release: 'shop-2024.06.1+b7' }).options.release).toBe('shop-2024.06.1+b7');
  });

  it.each([
    ['api', 'https://user:secret@api.example.com', 'api'],
    ['cdn', '//evil.example', 'cdn'],
    ['origin', '/\\evil.example', 'origin'],
    ['apiOrigin', 'https://api.example.com@evil.example', 'apiOrigin'],
  ])('refuses a %s base with credentials or posing as a path (%s), naming it', (key, base, field) => {
    const error = errorOf({ ...valid, [key]: base });
    expect(isVitrineError(error, 'INVALID_OPTIONS') && error.field).toBe(field);
    expect((error as Error).message).toContain('an absolute http(s) URL without credentials, or a path starting with one /');
  });

  it.each([
    ['timeoutMs', { timeoutMs: 3e9 }, 'timeoutMs'],
    ['assets.imageTimeoutMs', { assets: { imageTimeoutMs: 2 ** 31 } }, 'assets.imageTimeoutMs'],
    ['retry.maxDelayMs', { retry: { baseDelayMs: 100, maxDelayMs: Number.POSITIVE_INFINITY } }, 'retry.maxDelayMs'],
    ['batch.waitMs', { batch: { waitMs: 1e10 } }, 'batch.waitMs'],
  ])('refuses %s past what a timer can wait (2^31 - 1 ms), naming it', (_, extra, field) => {
    const error = errorOf({ ...valid, ...extra });
    expect(isVitrineError(error, 'INVALID_OPTIONS') && error.field).toBe(field);
    expect((error as Error).message).toContain('2147483647');
  });

  it('still takes bases a merchant writes: a path, a port, a trailing slash', () => {
    for (const base of ['/', '/cdn/', 'http://127.0.0.1:8080', 'https://cdn.example.com/shop/']) {
      expect(() => createStorefront({ ...valid, cdn: base, cache: { persist: false } }).destroy()).not.toThrow();
    }
  });

  it('no options at all says what is needed', () => {
    const error = errorOf(undefined);
    expect((error as Error).message).toMatch(/expects an options object with storeId, api, cdn and origin, got undefined/);
  });
});
