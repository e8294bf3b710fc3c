import type { LogFields, Logger, LogLevel } from '@cqrs/core';

/** One captured log line. */
export interface LogLine {
  readonly level: Exclude<LogLevel, 'silent'>;
  readonly message: string;
  readonly fields: LogFields | undefined;
}

/** A `Logger` that keeps every line, so tests can assert on what was logged. */
export class CapturingLogger implements Logger {
  readonly lines: LogLine[] = [];

  debug(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'debug', message, fields });
  }

  info(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'info', message, fields });
  }

  warn(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'warn', message, fields });
  }

  error(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'error', message, fields });
  }

  /** The lines logged at `level`. */
  at(level: LogLine['level']): LogLine[] {
    return this.lines.filter((line) => line.level === level);
  }
}
