import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';

// Debian's Chromium, never a downloaded one. Flags: root in a container needs --no-sandbox; the
// machine's closed network makes Chromium's background services fail noisily, so they are off.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The SDK's version, as the build stamps it (scripts/rollup-sdk-version.mjs, read by src/version.ts). */
const SDK_VERSION: string = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')).version;

export default defineConfig({
  // For every project (each `extends: true` to inherit it), the browser one included: the sources
  // see what the build replaces.
  define: { __VITRINE_VERSION__: JSON.stringify(SDK_VERSION) },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['test/node/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/setup/backend-server.ts'],
          // One shared backend counts requests: files run one after another so counts are exact.
          fileParallelism: false,
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({ launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS } }),
            instances: [{ browser: 'chromium' }],
            screenshotFailures: false,
          },
        },
      },
      {
        extends: true,
        test: {
          // The field collector (its own workspace package): real HTTP, real SQLite and PostgreSQL.
          name: 'collector',
          include: ['collector/test/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Child processes, a database server and Chromium share 2 cores: one file at a time.
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts', 'test/load/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // One Chromium at a time on a 2-core machine keeps request counts and timings honest.
          fileParallelism: false,
          // Chromium page views on a shared 2-core machine: a test whose browser-side timing lost a
          // race (an Event Timing entry, an LCP candidate, a request started before a deadline) is
          // run again, up to twice, with the same assertions. A real failure still fails all three.
          retry: 2,
        },
      },
    ],
  },
});
