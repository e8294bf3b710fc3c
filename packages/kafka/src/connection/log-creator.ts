import type { LogFields, Logger } from '@cqrs/core';
import { logLevel as KafkaLogLevel, type logCreator as LogCreator } from 'kafkajs';
import { scrubText, scrubValue } from './scrub';

// kafkajs logs every error response of the protocol at ERROR, also the ones it retries and
// recovers from (a topic still being created, a coordinator loading); what it can't recover
// from reaches the caller as an error anyway, so these lines are debug.
const isResponseError = (namespace: string, message: string): boolean => namespace === 'Connection' && message.startsWith('Response ');

/**
 * A kafkajs `logCreator` writing to a core `Logger`. Every line and field goes through
 * `redact` and loses the known secrets first, so a password never reaches a log. Error
 * responses kafkajs retries by itself are logged at debug.
 */
export function kafkaLogCreator(logger: Logger, secrets: readonly string[]): LogCreator {
  return () => (entry) => {
    const { message, timestamp: _timestamp, ...rest } = entry.log;
    const line = `kafkajs ${entry.namespace === '' ? '' : `[${entry.namespace}] `}${scrubText(String(message), secrets)}`;
    const fields = scrubValue(rest, secrets) as LogFields;
    const withFields = Object.keys(fields).length === 0 ? undefined : fields;
    const level = entry.level === KafkaLogLevel.ERROR && isResponseError(entry.namespace, String(message)) ? KafkaLogLevel.DEBUG : entry.level;
    switch (level) {
      case KafkaLogLevel.ERROR:
        logger.error(line, withFields);
        break;
      case KafkaLogLevel.WARN:
        logger.warn(line, withFields);
        break;
      case KafkaLogLevel.INFO:
        logger.info(line, withFields);
        break;
      default:
        logger.debug(line, withFields);
    }
  };
}
