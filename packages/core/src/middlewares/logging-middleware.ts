import { errorSummary } from '../errors/error-like';
import type { Logger } from '../logging/logger';
import { redactUrl } from '../logging/redact';
import type { Middleware } from './middleware';

/** Options of `loggingMiddleware`. */
export interface LoggingMiddlewareOptions {
  readonly logger: Logger;
  /** Level of the start and finish lines; failures are always `error`. Default `debug`. */
  readonly level?: 'debug' | 'info';
}

function elapsedMs(started: number): number {
  return Math.round((performance.now() - started) * 1000) / 1000;
}

/**
 * Logs each request or event by class name: started, finished with its duration, or failed
 * with the error's type and message (URL passwords masked). The error is rethrown unchanged.
 * Never logs the message's fields: they may hold personal data.
 */
export function loggingMiddleware(options: LoggingMiddlewareOptions): Middleware {
  const { logger } = options;
  const log = options.level === 'info' ? logger.info.bind(logger) : logger.debug.bind(logger);
  return async (message, next) => {
    const name = message.constructor.name;
    const started = performance.now();
    log(`handling ${name}`);
    try {
      const result = await next(message);
      log(`handled ${name}`, { durationMs: elapsedMs(started) });
      return result;
    } catch (error) {
      logger.error(`failed ${name}`, { error: redactUrl(errorSummary(error)), durationMs: elapsedMs(started) });
      throw error;
    }
  };
}
