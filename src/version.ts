/**
 * The SDK's version, stamped at build from package.json (`"sdk"` in every vitals report). Source
 * run without the build's replacement (tsx, a bench) says so rather than throwing.
 */
export const SDK_VERSION: string = typeof __VITRINE_VERSION__ === 'string' ? __VITRINE_VERSION__ : '0.0.0-source';
