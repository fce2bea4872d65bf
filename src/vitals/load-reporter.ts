import type { Assets } from '../assets/assets.js';
import type { VitalsModule } from './schedule.js';

/**
 * ESM builds: the reporter is a separate chunk, fetched by the user's bundler's dynamic import.
 * (The classic-script build swaps this module for load-reporter.classic.ts.)
 */
export function createReporterLoader(_assets: Assets): () => Promise<VitalsModule> {
  return () => import('./reporter.js');
}
