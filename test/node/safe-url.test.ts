import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { safeUrl } from '../../src/ui/safe-url.js';

describe('safeUrl: only http(s) and relative product links reach an href', () => {
  it('keeps http, https and relative links as they are, so product links still work', () => {
    for (const url of ['https://shop.example/p/1', 'http://shop.example/p/1?a=1#x', 'HTTPS://SHOP.EXAMPLE/', '/products/1', 'products/1', '?id=1', '#top', '//cdn.example/p']) {
      expect(safeUrl(url)).toBe(url);
    }
    expect(safeUrl('  https://shop.example/p/1  ')).toBe('https://shop.example/p/1');
  });

  it('drops script-running and data schemes, however they are disguised, so a click never runs product data', () => {
    const hostile = [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      ' javascript:alert(1)',
      'java\tscript:alert(1)',
      'java\nscript:alert(1)',
      'java\u0000script:alert(1)',
      '\u0001javascript:alert(1)',
      'vbscript:msgbox(1)',
      'data:text/html,<script>alert(1)</script>',
      'blob:https://x/uuid',
      'file:///etc/passwd',
      'javascript\u2028:alert(1)',
    ];
    for (const url of hostile) expect(safeUrl(url), JSON.stringify(url)).toBeUndefined();
  });

  it('drops non-strings, empty and absurdly long values', () => {
    for (const value of [undefined, null, 42, {}, '', '   ', `https://x/${'a'.repeat(3000)}`]) expect(safeUrl(value)).toBeUndefined();
  });

  it('whatever survives parses, against any page, as an http(s) URL', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        const kept = safeUrl(text);
        if (kept === undefined) return;
        expect(['http:', 'https:']).toContain(new URL(kept, 'https://merchant.example/shop/').protocol);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.constantFrom('javascript', 'data', 'vbscript', 'JaVaScRiPt'), fc.string({ maxLength: 20 }), (scheme, rest) => {
        expect(safeUrl(`${scheme}:${rest}`)).toBeUndefined();
      }),
    );
  });
});
