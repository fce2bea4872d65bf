/**
 * The report's size caps, apart from its zod schema so that the reporter (and the script-tag
 * vitals file) does not carry a validator for what it builds itself.
 */

/** Longest string kept from an attribution field (selectors, URLs). */
export const MAX_FIELD_CHARS = 300;
/** Most blank CDN URLs listed in one report. */
export const MAX_BLANK_URLS = 50;
/** sendBeacon and keepalive share a 64 KB in-flight quota per page; a report keeps well under it. */
export const MAX_REPORT_BYTES = 16 * 1024;

/** `"sdk"` in a v2 report: the SDK's own version (semver, at most 32 characters). */
export const SDK_VERSION_PATTERN = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;
export const MAX_SDK_VERSION_CHARS = 32;
/** `"release"` in a v2 report (the `release` option, `data-release`): the merchant's own release tag. */
export const RELEASE_PATTERN = /^[A-Za-z0-9._+-]{1,64}$/;
