/** Names the dead-letter destination of a source topic (or queue). */
export type DeadLetterNaming = (source: string) => string;

/** The default dead-letter name of every transport: `<topic>.dlq` (`<queue>.dlq` on RabbitMQ). */
export const defaultDeadLetterTopic: DeadLetterNaming = (source) => `${source}.dlq`;
