import { hourOf } from '../store/rows.js';
import type { FieldFilter } from './types.js';

/**
 * A filter as a WHERE clause over the aggregate tables (hour buckets and dimension columns), with
 * its parameters. Built from fixed column names only: values always travel as parameters.
 */
export function whereOf(filter: FieldFilter, options: { dims?: boolean } = {}): { sql: string; params: unknown[] } {
  const parts = ['hour >= ?', 'hour <= ?'];
  const params: unknown[] = [hourOf(filter.from), hourOf(filter.to)];
  const eq = (column: string, value: string | undefined) => {
    if (value === undefined) return;
    parts.push(`${column} = ?`);
    params.push(value);
  };
  eq('store_id', filter.store);
  if (options.dims !== false) {
    eq('page', filter.page);
    if (filter.browser !== undefined) {
      const m = /^(.*) (\d{1,4})$/.exec(filter.browser);
      eq('browser', m ? m[1] : filter.browser);
      if (m) eq('browser_major', m[2]);
    }
    eq('country', filter.country);
    eq('device', filter.device);
    eq('sdk', filter.sdk);
    eq('release', filter.release);
  }
  return { sql: parts.join(' AND '), params };
}
