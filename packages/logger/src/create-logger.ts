import winston from 'winston';
import { currentLogContext } from './log-context';
import { redact } from './redact';

export interface LoggerOptions {
  /** `ingress`, `dispatcher`, … — on every line. */
  readonly service: string;
  readonly version: string;
  readonly level?: string;
  /** Where lines go; defaults to stdout. Tests pass a stream to capture lines. */
  readonly stream?: NodeJS.WritableStream;
}

export type Logger = winston.Logger;

/** Adds the async context (request id, job id, message id) and redacts the whole line. */
const contextAndRedaction = winston.format((info) => {
  const context = currentLogContext();
  if (context) {
    for (const [field, value] of Object.entries(context)) {
      if (value !== undefined && info[field] === undefined) info[field] = value;
    }
  }
  // Redact the line as one object so field names (authorization, apikey…) are seen at the top too;
  // winston's own Symbol keys are not touched.
  const cleaned = redact({ ...info }) as Record<string, unknown>;
  for (const [field, value] of Object.entries(cleaned)) info[field] = value;
  return info;
});

/**
 * A winston JSON logger: one line per event with `service`, `version`, `level`, `timestamp`, the
 * current request/job context, and no secret or phone number in clear.
 */
export function createLogger(options: LoggerOptions): Logger {
  const transport = options.stream
    ? new winston.transports.Stream({ stream: options.stream })
    : new winston.transports.Console();
  const logger: Logger = winston.createLogger({
    level: options.level ?? 'info',
    defaultMeta: { service: options.service, version: options.version },
    format: winston.format.combine(
      // winston formats every line and leaves the level to its transports: a line below the level
      // (each request's `info` at LOG_LEVEL=warn) would be stamped, redacted and serialised, then dropped.
      winston.format((info) => (logger.isLevelEnabled(info.level) ? info : false))(),
      winston.format.errors({ stack: true }),
      winston.format.timestamp(),
      contextAndRedaction(),
      winston.format.json(),
    ),
    transports: [transport],
  });
  return logger;
}
