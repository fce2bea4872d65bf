import { isVitrineError } from '../../src/errors.js';

/** What `work` ended with: 'resolved', the VitrineError's code, or what else it threw. */
export async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    return isVitrineError(error) ? error.code : `not coded: ${String(error)}`;
  }
  return 'resolved';
}
