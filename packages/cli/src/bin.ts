import { processEnvironment } from '@telenexus/config';
import { processOutput } from './output';
import { runCli } from './run-cli';

void runCli(process.argv.slice(2), () => processEnvironment(), processOutput).then((code) => {
  process.exitCode = code;
});
