import { PassThrough } from 'node:stream';
import { createLogger, type Logger } from '@telenexus/logger';

/** A real logger whose lines are kept for assertions (and for scanning for leaked secrets). */
export interface CapturedLogger {
  readonly logger: Logger;
  /** Every line written so far, parsed. */
  lines(): Record<string, unknown>[];
  /** Every line written so far, raw, joined. */
  text(): string;
}

export function createCapturedLogger(service = 'test'): CapturedLogger {
  const stream = new PassThrough();
  const raw: string[] = [];
  stream.on('data', (chunk: Buffer) => raw.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  const logger = createLogger({ service, version: 'test', level: 'debug', stream });
  return {
    logger,
    lines: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>),
    text: () => raw.join('\n'),
  };
}
