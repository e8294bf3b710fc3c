import type { Logger } from '../logging/logger';
import type { Middleware } from './middleware';

/** Options of `loggingMiddleware`. */
export interface LoggingMiddlewareOptions {
  readonly logger: Logger;
  /** Level of the start and finish lines; failures are always `error`. Default `debug`. */
  readonly level?: 'debug' | 'info';
}

/** Logs each request or event by class name: started, finished with duration, or failed. */
export function loggingMiddleware(options: LoggingMiddlewareOptions): Middleware {
  const { logger } = options;
  const log = options.level === 'info' ? logger.info.bind(logger) : logger.debug.bind(logger);
  return async (message, next) => {
    const name = message.constructor.name;
    const started = performance.now();
    log(`handling ${name}`);
    try {
      const result = await next(message);
      log(`handled ${name}`, { durationMs: Math.round((performance.now() - started) * 1000) / 1000 });
      return result;
    } catch (error) {
      logger.error(`failed ${name}`, { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
      throw error;
    }
  };
}
