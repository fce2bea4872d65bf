/**
 * vitest globalSetup for the browser project: one loopback backend (api, cdn, origin, collector,
 * site) for the whole run. Tests get its URLs with `inject('backend')` and flip faults, read counts
 * and beacons through the api host's /__control/* endpoints.
 */
import type { TestProject } from 'vitest/node';
import { startServer } from '../../demo/backend/server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    backend: Record<'api' | 'cdn' | 'origin' | 'collector' | 'site', string>;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startServer({ distDir: 'dist', site: { root: '.' } });
  project.provide('backend', server.urls);
  return async () => server.close();
}
