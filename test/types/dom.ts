// vitrine/ui types the elements for plain DOM code: querySelector / createElement and their events.
import type { VitrineCartElement, VitrineErrorDetail, VitrineGridElement, VitrineProductElement } from 'vitrine/ui';
import { defineElements } from 'vitrine/ui';

defineElements();

const grid = document.querySelector('vitrine-grid');
if (grid) {
  const typed: VitrineGridElement = grid;
  const limit: number = typed.limit;
  typed.addEventListener('vitrine-error', (event) => {
    const pending: boolean = event.detail.pending;
    const _detail: VitrineErrorDetail = event.detail;
    void pending, _detail;
  });
  typed.addEventListener('vitrine-rendered', (event) => {
    const detail: null = event.detail;
    void detail;
    // @ts-expect-error vitrine-rendered has no detail (null)
    void event.detail.pending;
  });
  // @ts-expect-error the error detail's pending is a boolean
  typed.addEventListener('vitrine-error', (event) => event.detail.pending.toFixed());
  // Other events keep their DOM types.
  typed.addEventListener('click', (event) => void event.clientX);
  // @ts-expect-error limit is read from the attribute, not settable
  typed.limit = 3;
  typed.store = undefined;
  typed.refresh();
  void limit;
}

const product: VitrineProductElement = document.createElement('vitrine-product');
product.setAttribute('product-id', '42');
// @ts-expect-error a product element is not a grid (it has no limit)
const notGrid: VitrineGridElement = product;
void notGrid;

// The cart badge and the cart's DOM events.
const badge: VitrineCartElement | null = document.querySelector('vitrine-cart');
badge?.refresh();
document.addEventListener('vitrine-cart-change', (event) => {
  const count: number = event.detail.snapshot.count;
  const _source: 'this-tab' | 'other-tab' = event.detail.source;
  // @ts-expect-error the snapshot's count is a number
  const _wrong: string = event.detail.snapshot.count;
  void count, _source, _wrong;
});
document.querySelector('vitrine-product')?.addEventListener('vitrine-cart-error', (event) => void event.detail.error.message);
