import pg from 'pg';
import type { Db, Queryable, Row } from './db.js';

/**
 * PostgreSQL through node-postgres, for several collector instances on one database. Each
 * instance has its own pool; correctness across instances comes from the database (unique keys,
 * upserts, an advisory lock for migrations), never from a process's memory.
 */
const MIGRATION_LOCK = 7_003_001;

/** `?` → `$1, $2 …` (the SQL above this layer has no `?` inside string literals). */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

// BIGINT and NUMERIC arrive as strings by default; these values fit a double.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 || oid === 1700) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export function openPostgres(connectionString: string, options: { max?: number } = {}): Db {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 8, types, application_name: 'vitrine-collector' });
  // An idle client losing its connection must not take the process down; the next query reconnects.
  pool.on('error', () => undefined);
  const texts = new Map<string, string>();
  const text = (sql: string) => {
    let t = texts.get(sql);
    if (t === undefined) {
      if (texts.size > 500) texts.clear();
      texts.set(sql, (t = numbered(sql)));
    }
    return t;
  };
  const on = (client: pg.Pool | pg.PoolClient): Queryable => ({
    async all<T extends Row>(sql: string, params: readonly unknown[] = []) {
      return (await client.query(text(sql), params as unknown[])).rows as T[];
    },
    async run(sql, params = []) {
      const r = await client.query(text(sql), params as unknown[]);
      return r.rowCount ?? 0;
    },
  });
  const direct = on(pool);

  async function tx<T>(fn: (q: Queryable) => Promise<T>, lock = false): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      if (lock) await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const out = await fn(on(client));
      await client.query('COMMIT');
      return out;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  return {
    dialect: 'postgres',
    all: direct.all,
    run: direct.run,
    tx: (fn) => tx(fn),
    exclusive: (fn) => tx(fn, true),
    async bytes() {
      const rows = await direct.all<{ bytes: number }>(
        "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname = current_schema()",
      );
      return Number(rows[0]?.bytes ?? 0);
    },
    close: () => pool.end(),
  };
}
