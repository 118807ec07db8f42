import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The `version` of the package.json next to a compiled entry point's folder (dist/ or src/), for
 * log lines and metrics. Falls back to `0.0.0` rather than failing a start over a label.
 */
export function packageVersion(entryDirectory: string): string {
  try {
    const manifest = JSON.parse(readFileSync(join(entryDirectory, '..', 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof manifest.version === 'string' ? manifest.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}
