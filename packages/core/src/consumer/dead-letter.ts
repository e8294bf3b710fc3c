import { DeadLetterHeaders } from '../brokers/standard-headers';
import { isErrorLike } from '../errors/error-like';
import { isDeserializeError } from '../serde/deserialize-error';

/** Where a dead-lettered message came from. */
export interface DeadLetterSource {
  readonly topic: string;
  readonly partition?: number;
  readonly offset?: string;
}

/** Describes an error for a header: the type name and a one-line message, never a payload dump. */
export function describeError(error: unknown): { readonly type: string; readonly message: string } {
  if (isDeserializeError(error)) return { type: `${error.name}:${error.errorType}`, message: error.errorMessage };
  if (isErrorLike(error)) return { type: error.name, message: error.message };
  return { type: typeof error, message: String(error) };
}

/** The original headers plus the dead-letter headers: error, attempts, source, time. */
export function deadLetterHeaders(
  original: Readonly<Record<string, string>>,
  error: unknown,
  attempts: number,
  source: DeadLetterSource,
  now: Date = new Date(),
): Record<string, string> {
  const described = describeError(error);
  const headers: Record<string, string> = {
    ...original,
    [DeadLetterHeaders.error]: described.message.slice(0, 1000),
    [DeadLetterHeaders.errorType]: described.type,
    [DeadLetterHeaders.attempts]: String(attempts),
    [DeadLetterHeaders.sourceTopic]: source.topic,
    [DeadLetterHeaders.failedAt]: now.toISOString(),
  };
  if (source.partition !== undefined) headers[DeadLetterHeaders.sourcePartition] = String(source.partition);
  if (source.offset !== undefined) headers[DeadLetterHeaders.sourceOffset] = source.offset;
  return headers;
}
