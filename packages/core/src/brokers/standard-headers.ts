/** Header names every transport writes and reads, so consumers in any language find them. */
export const StandardHeaders = {
  messageName: 'message_name',
  messageId: 'message_id',
  contentType: 'content-type',
} as const;

/** Headers a dead-letter copy carries besides the original headers. */
export const DeadLetterHeaders = {
  error: 'x-dead-letter-error',
  errorType: 'x-dead-letter-error-type',
  attempts: 'x-dead-letter-attempts',
  sourceTopic: 'x-dead-letter-source-topic',
  sourcePartition: 'x-dead-letter-source-partition',
  sourceOffset: 'x-dead-letter-source-offset',
  failedAt: 'x-dead-letter-failed-at',
} as const;
