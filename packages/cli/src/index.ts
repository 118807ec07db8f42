export { runCli } from './run-cli';
export type { Output } from './output';
