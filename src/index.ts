export { createStorefront } from './storefront.js';
export type { Storefront, StorefrontInit } from './storefront.js';
export { VitrineError, isVitrineError } from './errors.js';
export type { VitrineErrorCode, VitrineErrorContext } from './errors.js';
export type { StorefrontOptions, ResolvedOptions, ImageVariant } from './config.js';
export type {
  VitrineEvents,
  VitrineEventName,
  RequestEvent,
  AssetEvent,
  AssetKind,
  AssetHost,
  AssetOutcome,
  CacheEvent,
  VitalEvent,
  ErrorEvent,
  BreakerEvent,
  Listener,
} from './events.js';
export type { Product, ProductImage, ProductVariant } from './data/schema.js';
export type { Products, ProductPage, ListQuery, DehydratedProducts, ListEntry } from './data/products.js';
export type { RetryBudget } from './lib/retry-budget.js';
export type { Cart, CartLine, CartLineStatus, CartSnapshot, CartEvent, CartChange, CartLimits, CheckoutTarget, Money } from './cart/types.js';
export type { CheckoutOption } from './cart/checkout.js';
export { toJsonLd, toScriptJson } from './seo.js';
export type { ProductJsonLd } from './seo.js';
export type { Images } from './assets/images.js';
export type { Assets, AssetResult, ImageOptions, ImageResult, ScriptOptions, StyleOptions } from './assets/assets.js';
export { NO_IMAGE, PLACEHOLDER_ATTRIBUTE } from './assets/urls.js';
export type { MountOptions } from './ui/mount-options.js';
export type { Messages, MessageTable } from './i18n/messages.js';
export type { VitalsReport, VitalsReportV1, VitalsReportV2, VitalEntry, VitalAttribution, HealthCounters } from './vitals/report-schema.js';
export { SDK_VERSION } from './version.js';
