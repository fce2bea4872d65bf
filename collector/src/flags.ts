import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * The command line's flag reading, for `vitrine-collector` and `vitrine-collector simulate`: a flag,
 * else its VITRINE_COLLECTOR_<FLAG> variable (where the command reads one), numbers checked against
 * their range, and the one store location. Every mistake is a UsageError: one line, exit code 2.
 */
export class UsageError extends Error {}

type Flags = NonNullable<ParseArgsConfig['options']>;

export interface FlagReader<F extends Flags> {
  readonly help: boolean;
  read(flag: keyof F & string): string | undefined;
  /** A number in [min, max]; `whole` refuses a fraction. */
  number(flag: keyof F & string, min: number, max: number, options?: { whole?: boolean }): number | undefined;
  /** `--store postgres://…` or `--db path` (not both), else the default SQLite file. */
  storeLocation(): string;
}

export function readFlags<F extends Flags>(argv: readonly string[], flags: F, env: NodeJS.ProcessEnv, fromEnv: (flag: string) => boolean): FlagReader<F> {
  let values: Record<string, string | boolean | undefined>;
  // `--rate-limit -1`: parseArgs calls a value that looks like an option "ambiguous"; a negative
  // number is a value, joined as `--rate-limit=-1` so the range check below names what is wrong.
  const args = [...argv];
  for (let i = 0; i < args.length - 1; i++) {
    const name = /^--([a-z-]+)$/.exec(args[i]!)?.[1];
    if (name && flags[name]?.type === 'string' && /^-\d/.test(args[i + 1]!)) args.splice(i, 2, `--${name}=${args[i + 1]}`);
  }
  try {
    ({ values } = parseArgs({ args, options: flags, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]!);
  }
  const read = (flag: string): string | undefined => {
    const v = values[flag];
    if (typeof v === 'string') return v;
    const e = fromEnv(flag) ? env[`VITRINE_COLLECTOR_${flag.toUpperCase().replace(/-/g, '_')}`] : undefined;
    return e === undefined || e === '' ? undefined : e;
  };
  return {
    help: values['help'] === true,
    read,
    number(flag, min, max, { whole = false } = {}) {
      const v = read(flag);
      if (v === undefined) return undefined;
      const n = Number(v);
      const shape = whole ? /^\d+$/ : /^\d+(\.\d+)?$/;
      if (!shape.test(v.trim()) || !Number.isFinite(n) || n < min || n > max) {
        throw new UsageError(`--${flag} expects ${whole ? 'a whole number' : 'a number'} from ${min} to ${max}, got ${JSON.stringify(v)}`);
      }
      return n;
    },
    storeLocation() {
      const db = read('db');
      const store = read('store');
      if (db && store) throw new UsageError('--db and --store name two stores: pass one');
      if (store && !/^postgres(ql)?:\/\//i.test(store)) throw new UsageError(`--store expects a postgres:// URL, got ${JSON.stringify(store.replace(/\/\/[^@/]*@/, '//…@'))}`);
      return store ?? db ?? './vitrine-field.db';
    },
  };
}
