/** The simulated store backend, browser-safe (everything but the Node-only server.ts). */
export * from './handlers.js';
export * from './faults.js';
export * from './catalog.js';
export * from './png.js';
