import * as z from 'zod/mini';
import { preview } from './check.js';

// zod/mini for schemas off the critical path (vitals report, diagnostics); options and API
// answers use ./check.ts, which keeps zod out of the script-tag bundle.
// Pages whose CSP forbids `unsafe-eval` must work: zod's JIT compiles validators with
// `new Function`, so it is switched off before any schema is used.
z.config({ jitless: true });

export { z };

type Issue = z.core.$ZodIssue & { input?: unknown };

/** What a zod/mini issue expected, in words (zod/mini ships no locale, so its messages say only "Invalid input"). */
export function expectation(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'too_small':
      return issue.origin === 'string' || issue.origin === 'array'
        ? `expected a length of at least ${String(issue.minimum)}`
        : `expected a value ${issue.inclusive ? '≥' : '>'} ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'string' || issue.origin === 'array'
        ? `expected a length of at most ${String(issue.maximum)}`
        : `expected a value ${issue.inclusive ? '≤' : '<'} ${String(issue.maximum)}`;
    case 'invalid_format':
      return `expected ${issue.format === 'regex' ? 'the documented format' : issue.format}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      // A discriminated union whose key matched no option (e.g. a report's `v`): say which it knows.
      return 'options' in issue && issue.options?.length ? `expected one of ${issue.options.map((v) => JSON.stringify(v)).join(', ')}` : 'expected a valid value';
    case 'unrecognized_keys':
      // Keys come from the caller's input: shortened and capped so a hostile object cannot bloat the message.
      return `unknown key(s) ${issue.keys
        .slice(0, 5)
        .map((k) => (k.length > 40 ? `${k.slice(0, 40)}…` : k))
        .join(', ')}${issue.keys.length > 5 ? ` and ${issue.keys.length - 5} more` : ''}`;
    default:
      return issue.message && issue.message !== 'Invalid input' ? issue.message : 'expected a valid value';
  }
}

export function issuePath(issue: { path: readonly PropertyKey[] }): string {
  return issue.path.map(String).join('.') || '(root)';
}

/** The value at fault: a discriminated union's issue holds the whole object, the culprit is its key's value. */
function atFault(issue: Issue): unknown {
  const input = issue.input;
  if (issue.code !== 'invalid_union' || !issue.discriminator) return input;
  return input !== null && typeof input === 'object' ? (input as Record<string, unknown>)[issue.discriminator] : undefined;
}

/** "field: expected X, got Y" for the first issue of a failed parse. */
export function describeIssues(issues: readonly Issue[]): { field: string; text: string } {
  const issue = issues[0];
  if (!issue) return { field: '(root)', text: 'invalid value' };
  const field = issuePath(issue);
  const got = 'input' in issue ? `, got ${preview(atFault(issue))}` : '';
  return { field, text: `${field}: ${expectation(issue)}${got}` };
}
