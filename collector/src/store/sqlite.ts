import Database, { type Database as SqliteDatabase, type Statement } from 'better-sqlite3';
import { statSync } from 'node:fs';
import type { Db, Queryable, Row } from './db.js';

/**
 * SQLite through better-sqlite3: one connection writes, another reads, in WAL mode so readers
 * never wait for the writer. `synchronous = FULL` makes a commit durable on disk before the
 * statement returns, so an acknowledged report survives a crash of the process or the machine.
 */
/** How long a write waits for another connection's lock before it fails. */
const LOCK_WAIT_MS = 10_000;

export function openSqlite(path: string): Db {
  const writer = new Database(path);
  writer.pragma('journal_mode = WAL');
  writer.pragma('synchronous = FULL');
  // The writer never blocks the event loop waiting for a lock another connection holds: BEGIN
  // IMMEDIATE fails at once and is retried after a timer (begin() below), so the holder, which may
  // be in this very process, can finish.
  writer.pragma('busy_timeout = 0');
  const reader = path === ':memory:' ? writer : new Database(path, { readonly: true, fileMustExist: true });
  if (reader !== writer) reader.pragma('busy_timeout = 5000');

  const cached = (db: SqliteDatabase) => {
    const statements = new Map<string, Statement>();
    return (sql: string) => {
      let s = statements.get(sql);
      if (!s) {
        if (statements.size > 500) statements.clear();
        statements.set(sql, (s = db.prepare(sql)));
      }
      return s;
    };
  };
  const prepareWrite = cached(writer);
  const prepareRead = cached(reader);

  const on = (prepare: (sql: string) => Statement): Queryable => ({
    async all<T extends Row>(sql: string, params: readonly unknown[] = []) {
      const s = prepare(sql);
      return (s.reader ? s.all(...params) : (s.run(...params), [])) as T[];
    },
    async run(sql, params = []) {
      const s = prepare(sql);
      if (s.reader) return s.all(...params).length;
      return s.run(...params).changes;
    },
  });
  const write = on(prepareWrite);
  const read = on(prepareRead);
  // better-sqlite3 is synchronous, but a transaction's body is async: one at a time, in order.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn, fn);
    chain = next.catch(() => undefined);
    return next;
  };
  async function begin() {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        writer.exec('BEGIN IMMEDIATE');
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() - started > LOCK_WAIT_MS) throw error;
        await new Promise((r) => setTimeout(r, Math.min(2 ** attempt, 25)));
      }
    }
  }
  const inTx = <T>(fn: (q: Queryable) => Promise<T>) =>
    serial(async () => {
      await begin();
      try {
        const out = await fn(write);
        writer.exec('COMMIT');
        return out;
      } catch (error) {
        if (writer.inTransaction) writer.exec('ROLLBACK');
        throw error;
      }
    });

  return {
    dialect: 'sqlite',
    all: (sql, params) => (/^\s*(select|with)\b/i.test(sql) ? read.all(sql, params) : serial(() => write.all(sql, params))),
    run: (sql, params) => serial(() => write.run(sql, params)),
    tx: inTx,
    exclusive: inTx,
    async bytes() {
      if (path === ':memory:') return 0;
      writer.pragma('wal_checkpoint(PASSIVE)');
      const size = (p: string) => {
        try {
          return statSync(p).size;
        } catch {
          return 0;
        }
      };
      return size(path) + size(`${path}-wal`);
    },
    async close() {
      await chain;
      if (reader !== writer) reader.close();
      writer.close();
    },
  };
}
