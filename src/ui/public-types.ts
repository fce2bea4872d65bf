/**
 * The declarations of `vitrine/ui` (rollup.config.mjs bundles dist/ui.d.ts from here): everything
 * index.ts exports, plus the element types. Type-only, so dist/ui.js is built from index.ts alone.
 */
export * from './index.js';
export type {
  VitrineCartAttributes,
  VitrineCartElement,
  VitrineCartErrorDetail,
  VitrineElementEventMap,
  VitrineErrorDetail,
  VitrineGridAttributes,
  VitrineGridElement,
  VitrineJsxEventProps,
  VitrineProductAttributes,
  VitrineProductElement,
  VitrineWidgetElement,
} from './element-types.js';
