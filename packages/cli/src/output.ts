/** Where a command writes: stdout for results, stderr for everything said to a person. */
export interface Output {
  result(text: string): void;
  say(text: string): void;
}

export const processOutput: Output = {
  result: (text) => process.stdout.write(`${text}\n`),
  say: (text) => process.stderr.write(`${text}\n`),
};
