import type { Environment } from '@telenexus/config';
import { runCli } from '../src/run-cli';

/** One CLI run as a terminal would see it. */
export interface CapturedRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in this process with exactly the given environment, capturing stdout and stderr. */
export async function runCaptured(argv: readonly string[], environment: Environment): Promise<CapturedRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, environment, {
    result: (text) => (stdout += `${text}\n`),
    say: (text) => (stderr += `${text}\n`),
  });
  return { code, stdout, stderr };
}
