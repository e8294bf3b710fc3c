import { UnsupportedClientError } from './errors';
import type { PgQueryResult } from './pg-client';

/**
 * The results of a multi-statement query, one per statement. Anything else (a client that keeps
 * only the last result) is refused: reading the wrong statement's rows would be worse than failing.
 */
export function statementResults(answer: unknown, statements: number): PgQueryResult<unknown[]>[] {
  if (!Array.isArray(answer)) throw new UnsupportedClientError('it answered one result');
  if (answer.length !== statements) throw new UnsupportedClientError(`it answered ${answer.length} results to ${statements} statements`);
  return answer as PgQueryResult<unknown[]>[];
}
