/**
 * `vitrine/react` (types only): `<vitrine-grid>`, `<vitrine-product>` and `<vitrine-cart>` in React 19's JSX.
 * Opt in once with `import type {} from 'vitrine/react'`.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type {
  VitrineCartAttributes,
  VitrineCartElement,
  VitrineGridAttributes,
  VitrineGridElement,
  VitrineJsxEventProps,
  VitrineProductAttributes,
  VitrineProductElement,
} from '../ui/public-types.js';

/** React's props of a custom element: its HTML attributes, ref and key, its own attributes and events. */
export type VitrineReactProps<E extends HTMLElement, A> = DetailedHTMLProps<HTMLAttributes<E>, E> & A & VitrineJsxEventProps;

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'vitrine-grid': VitrineReactProps<VitrineGridElement, VitrineGridAttributes>;
      'vitrine-product': VitrineReactProps<VitrineProductElement, VitrineProductAttributes>;
      'vitrine-cart': VitrineReactProps<VitrineCartElement, VitrineCartAttributes>;
    }
  }
}
