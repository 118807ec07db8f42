import { processOutput } from './output';
import { runCli } from './run-cli';

void runCli(process.argv.slice(2), process.env, processOutput).then((code) => {
  process.exitCode = code;
});
