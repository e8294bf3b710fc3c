/** Structured fields attached to a log line; never put secrets here. */
export type LogFields = Readonly<Record<string, unknown>>;

/** The logging surface the framework writes to; pino, winston or console fit behind it. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Log levels from most to least verbose. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** A logger writing `[cqrs] level message {fields}` to the console at `level` and above. */
export function consoleLogger(level: LogLevel = 'warn'): Logger {
  const threshold = ORDER[level];
  const write = (at: Exclude<LogLevel, 'silent'>, message: string, fields?: LogFields): void => {
    if (ORDER[at] < threshold) return;
    const line = `[cqrs] ${at} ${message}`;
    if (fields === undefined) console[at](line);
    else console[at](line, fields);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

/** A logger that drops everything. */
export const silentLogger: Logger = consoleLogger('silent');
