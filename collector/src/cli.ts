import type { ParseArgsConfig } from 'node:util';
import { readFlags, UsageError } from './flags.js';
import { createCollector } from './server.js';
import type { CollectorOptions } from './config.js';
import { isLoopback } from './config.js';

/**
 * `vitrine-collector [flags]`. Every flag also reads from VITRINE_COLLECTOR_<FLAG> (upper case,
 * dashes as underscores); a flag wins over its variable. A bad flag is one line and exit code 2.
 */
const FLAGS = {
  host: { type: 'string' },
  port: { type: 'string' },
  db: { type: 'string' },
  store: { type: 'string' },
  token: { type: 'string' },
  'allow-origin': { type: 'string' },
  'country-header': { type: 'string' },
  'client-header': { type: 'string' },
  'rate-limit': { type: 'string' },
  'retention-days': { type: 'string' },
  'aggregate-retention-days': { type: 'string' },
  'min-sample': { type: 'string' },
  otlp: { type: 'string' },
  'console-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

const USAGE = `Usage: vitrine-collector [--host 127.0.0.1] [--port 0] [--db ./vitrine-field.db | --store postgres://…]
                         [--token T] [--allow-origin *] [--country-header cf-ipcountry] [--client-header cf-connecting-ip]
                         [--rate-limit 20] [--retention-days 30] [--aggregate-retention-days 400] [--min-sample 30]
                         [--otlp http://127.0.0.1:4318]
                         [--console-url http://127.0.0.1:8080/]
Every flag also reads from VITRINE_COLLECTOR_<FLAG> (e.g. VITRINE_COLLECTOR_TOKEN).
   or: vitrine-collector simulate [--db … | --store …] [--views 3000] [--minutes 120] [--seed 1] [--now ms]  (demo data; --help)`;

export function optionsFromArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CollectorOptions | 'help' {
  const flags = readFlags(argv, FLAGS, env, () => true);
  if (flags.help) return 'help';
  const read = flags.read;
  // Only the rate limit may be a fraction (0.5 reports a second); ports, days and samples are whole.
  const int = (flag: keyof typeof FLAGS, min: number, max: number) => flags.number(flag, min, max, { whole: flag !== 'rate-limit' });
  const location = flags.storeLocation();
  const otlp = read('otlp');
  if (otlp && !/^https?:\/\/[^\s/]+/i.test(otlp)) throw new UsageError(`--otlp expects an http(s) URL, got ${JSON.stringify(otlp)}`);
  const consoleUrl = read('console-url');
  if (consoleUrl && !/^https?:\/\/[^\s/]+/i.test(consoleUrl)) throw new UsageError(`--console-url expects an http(s) URL, got ${JSON.stringify(consoleUrl)}`);
  const host = read('host') ?? '127.0.0.1';
  const token = read('token');
  if (!token && !isLoopback(host)) throw new UsageError(`--host ${host} is not loopback: pass --token so the field answers are not open to the network`);
  const options: CollectorOptions = { host, store: location };
  const set = <K extends keyof CollectorOptions>(key: K, value: CollectorOptions[K] | undefined) => {
    if (value !== undefined) options[key] = value;
  };
  set('port', int('port', 0, 65535));
  set('token', token);
  set('allowOrigin', read('allow-origin'));
  set('countryHeader', read('country-header'));
  set('clientHeader', read('client-header'));
  set('rateLimit', int('rate-limit', 0, 1_000_000));
  set('retentionDays', int('retention-days', 1, 36_500));
  set('aggregateRetentionDays', int('aggregate-retention-days', 1, 36_500));
  set('minSample', int('min-sample', 1, 1_000_000));
  set('otlp', otlp);
  set('consoleUrl', consoleUrl);
  return options;
}

export async function main(argv: readonly string[]): Promise<void> {
  // `vitrine-collector simulate …` fills a store with demo data instead of serving (simulate.ts).
  if (argv[0] === 'simulate') return (await import('./simulate.js')).simulateCommand(argv.slice(1));
  let options: CollectorOptions | 'help';
  try {
    options = optionsFromArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`vitrine-collector: ${error.message} (vitrine-collector --help lists the flags)\n`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let collector: Awaited<ReturnType<typeof createCollector>>;
  try {
    collector = await createCollector(options);
  } catch (error) {
    process.stderr.write(`vitrine-collector: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  const where = typeof options.store === 'string' ? options.store.replace(/\/\/[^@/]*@/, '//…@') : 'store';
  process.stdout.write(
    [
      `vitrine-collector listening (${collector.store.db.dialect}: ${where})`,
      `  ingest:    ${collector.ingestUrl}`,
      `  dashboard: ${collector.dashboardUrl}${options.token ? '' : '  (no token: loopback only)'}`,
      `  health:    ${collector.url}/healthz · metrics: ${collector.url}/metrics`,
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void collector.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
