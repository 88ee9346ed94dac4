import winston from 'winston';

export type Logger = winston.Logger;

export interface LoggerOptions {
  readonly level?: string;
  /** Also write JSON lines to this file (`--logs_to_file`, `logs.log_file`). */
  readonly file?: string;
  /** Write to the console (stderr, so stdout stays for results such as --dry-run). */
  readonly console?: boolean;
  readonly transports?: winston.transport[];
}

const consoleFormat = winston.format.printf(({ level, message, timestamp }) => `${String(timestamp)} ${level} ${String(message)}`);

export function createLogger(options: LoggerOptions = {}): Logger {
  const transports: winston.transport[] = [...(options.transports ?? [])];
  if (options.console !== false) {
    transports.push(new winston.transports.Console({
      stderrLevels: ['error', 'warn', 'info', 'debug'],
      format: winston.format.combine(winston.format.timestamp(), consoleFormat),
    }));
  }
  if (options.file) {
    transports.push(new winston.transports.File({
      filename: options.file,
      format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    }));
  }
  return winston.createLogger({ level: options.level ?? 'info', transports });
}

/** A logger that drops everything (tests, --dry-run output). */
export function silentLogger(): Logger {
  return winston.createLogger({ silent: true });
}
