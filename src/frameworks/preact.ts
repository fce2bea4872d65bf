/**
 * `vitrine/preact` (types only): `<vitrine-grid>`, `<vitrine-product>` and `<vitrine-cart>` in Preact's JSX.
 * Opt in once with `import type {} from 'vitrine/preact'`.
 */
import type { HTMLAttributes } from 'preact';
import type {
  VitrineCartAttributes,
  VitrineCartElement,
  VitrineGridAttributes,
  VitrineGridElement,
  VitrineJsxEventProps,
  VitrineProductAttributes,
  VitrineProductElement,
} from '../ui/public-types.js';

/** Preact's props of a custom element: its HTML attributes (ref and key included), its own attributes and events. */
export type VitrinePreactProps<E extends HTMLElement, A> = HTMLAttributes<E> & A & VitrineJsxEventProps;

declare module 'preact' {
  namespace JSX {
    interface IntrinsicElements {
      'vitrine-grid': VitrinePreactProps<VitrineGridElement, VitrineGridAttributes>;
      'vitrine-product': VitrinePreactProps<VitrineProductElement, VitrineProductAttributes>;
      'vitrine-cart': VitrinePreactProps<VitrineCartElement, VitrineCartAttributes>;
    }
  }
}
