// Vue 3: `import type {} from 'vitrine/vue'` adds the elements to GlobalComponents (what vue-tsc
// checks templates against); render functions pass them to h() by tag name.
import type {} from 'vitrine/vue';
import { defineComponent, h, type GlobalComponents } from 'vue';

export default defineComponent({
  setup() {
    return () => [h('vitrine-grid', { limit: 8, category: 'shoes' }), h('vitrine-product', { 'product-id': '42' }), h('vitrine-cart')];
  },
});

type GridProps = InstanceType<GlobalComponents['vitrine-grid']>['$props'];
type ProductProps = InstanceType<GlobalComponents['vitrine-product']>['$props'];

export const grid: GridProps = { limit: 8, offset: '0', ids: '1,2' };
export const product: ProductProps = { 'product-id': '42' };
// @ts-expect-error limit is a number or a numeric string, not a boolean
export const badGrid: GridProps = { limit: true };
// @ts-expect-error product-id is a string
export const badProduct: ProductProps = { 'product-id': ['42'] };
type CartProps = InstanceType<GlobalComponents['vitrine-cart']>['$props'];
export const cart: CartProps = {};
