export { runCli } from './run-cli';
export type { Output } from './output';
export { cliVariablesSchema } from './cli-config';
