/**
 * The two databases behind one small surface. Everything above this file writes one SQL text for
 * both: `?` placeholders (rewritten to `$n` for PostgreSQL), types both accept (BIGINT, DOUBLE
 * PRECISION, TEXT, SMALLINT), `INSERT … ON CONFLICT … DO UPDATE` upserts and `RETURNING`.
 */
export type Dialect = 'sqlite' | 'postgres';
export type Row = Record<string, unknown>;

export interface Queryable {
  all<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

export interface Db extends Queryable {
  readonly dialect: Dialect;
  /** Runs `fn` in one transaction on one connection; commits when it resolves, rolls back when it throws. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** Runs `fn` holding a lock that other processes migrating the same database wait for. */
  exclusive<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** Bytes the data takes on disk (tables and indexes). */
  bytes(): Promise<number>;
  close(): Promise<void>;
}

/** Largest number of bound parameters in one statement that both databases accept. */
export const MAX_PARAMS = 30_000;

/** Splits rows so that a multi-row statement stays under the parameter limit. */
export function chunks<T>(rows: readonly T[], paramsPerRow: number): T[][] {
  const size = Math.max(1, Math.floor(MAX_PARAMS / paramsPerRow));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** `(?, ?, ?), (?, ?, ?)` for `rows` rows of `width` values. */
export const valuesList = (rows: number, width: number) => {
  const one = `(${new Array(width).fill('?').join(', ')})`;
  return new Array(rows).fill(one).join(', ');
};
