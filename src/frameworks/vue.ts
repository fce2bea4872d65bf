/**
 * `vitrine/vue` (types only): `<vitrine-grid>`, `<vitrine-product>` and `<vitrine-cart>` as Vue global components, for
 * template type checking (vue-tsc, Volar). Opt in once with `import type {} from 'vitrine/vue'`; Vue
 * must still be told they are custom elements (`compilerOptions.isCustomElement`, see the README).
 */
import type { DefineComponent } from 'vue';
import type { VitrineCartAttributes, VitrineGridAttributes, VitrineProductAttributes } from '../ui/public-types.js';

declare module 'vue' {
  interface GlobalComponents {
    'vitrine-grid': DefineComponent<VitrineGridAttributes>;
    'vitrine-product': DefineComponent<VitrineProductAttributes>;
    'vitrine-cart': DefineComponent<VitrineCartAttributes>;
  }
}
