// Lints probe texts as if they were files of this repository, with only the house rules under test
// and no type information (a probe is a file that does not exist). Jest cannot load ESLint's ESM
// configuration in its module system, so test/lint-rules runs this as a program.
// Input (stdin): [{ "path": "packages/core/src/probe.ts", "code": "import 'pg';" }, …]
// Output (stdout): for each probe, the messages as "<rule>: <message>".
import { ESLint } from 'eslint';

const RULES = ['no-restricted-imports', 'no-restricted-properties'];
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const probes = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfig: { languageOptions: { parserOptions: { project: null, projectService: false } } },
  ruleFilter: ({ ruleId }) => RULES.includes(ruleId),
});
const results = [];
for (const { path, code } of probes) {
  const [result] = await eslint.lintText(code, { filePath: path });
  results.push(result.messages.map((message) => `${message.ruleId}: ${message.message}`));
}
process.stdout.write(JSON.stringify(results));
