import type { Logger } from 'pino';
import { DomainError } from '../../domain/shared/errors.js';

/**
 * Runs `work` for each id of a scheduled job's batch: a domain refusal means the item moved on
 * (counted, not thrown); any other failure is logged and left for the job's next run.
 */
export async function forEachItem(
  ids: readonly string[],
  work: (id: string) => Promise<unknown>,
  logger: Logger,
  job: string,
): Promise<string> {
  let done = 0;
  let refused = 0;
  let failed = 0;
  for (const id of ids) {
    try {
      await work(id);
      done += 1;
    } catch (error) {
      if (error instanceof DomainError) refused += 1;
      else {
        failed += 1;
        logger.warn({ err: error, job, id }, 'job item failed; next run retries');
      }
    }
  }
  return `${done} done, ${refused} refused, ${failed} failed`;
}
