export { defineElements, GRID_TAG, PRODUCT_TAG } from './define-elements.js';
export { mount } from './mount.js';
export type { MountOptions } from './mount-options.js';
export { RENDERED_EVENT } from './widget-base.js';
export { safeUrl } from './safe-url.js';
export { formatPrice, pageLocale } from './format.js';
export { CSS as WIDGET_CSS } from './styles.js';
