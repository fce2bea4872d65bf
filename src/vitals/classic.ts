import { startVitalsReporter } from './reporter.js';
import type { VitalsModule } from './schedule.js';

/**
 * Entry of dist/vitrine-vitals.js for the script tag. Defining a global is this file's only job,
 * and it runs only when load-reporter.classic.ts loads it, after the first product paint.
 */
const mod: VitalsModule = { startVitalsReporter };
(globalThis as { VitrineVitals?: VitalsModule }).VitrineVitals = mod;
