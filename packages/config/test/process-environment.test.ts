import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../src/config-error';
import { DEFAULT_ENV_FILE, PROJECT_ROOT, processEnvironment } from '../src/process-environment';

let scratch: string;
let file: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'telenexus-env-'));
  file = join(scratch, '.env');
  writeFileSync(file, '# a comment\nPORT=9090\nLOG_LEVEL=debug\nQUOTED="two words"\nEMPTY_HERE=from-file\n');
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('processEnvironment', () => {
  it('When a variable is only in the .env file, then it is read from there', () => {
    const environment = processEnvironment({}, file);
    expect(environment).toMatchObject({ PORT: '9090', LOG_LEVEL: 'debug', QUOTED: 'two words' });
  });

  it('When a variable is also exported, then the exported value wins, even when it is empty', () => {
    const environment = processEnvironment({ PORT: '8088', EMPTY_HERE: '' }, file);
    expect(environment).toMatchObject({ PORT: '8088', LOG_LEVEL: 'debug', EMPTY_HERE: '' });
  });

  it('When ENV_FILE names a file, then that file is read instead of the default', () => {
    const environment = processEnvironment({ ENV_FILE: file }, join(scratch, 'absent.env'));
    expect(environment.PORT).toBe('9090');
  });

  it('When the default .env does not exist, then the environment is used as it is', () => {
    const exported = { PORT: '8080' };
    expect(processEnvironment(exported, join(scratch, 'absent.env'))).toBe(exported);
  });

  it('When ENV_FILE names a file that does not exist, then it is a configuration error naming it', () => {
    const missing = join(scratch, 'missing.env');
    expect(() => processEnvironment({ ENV_FILE: missing })).toThrow(ConfigError);
    expect(() => processEnvironment({ ENV_FILE: missing })).toThrow(missing);
  });

  it('When no ENV_FILE is set, then .env is looked for in the project root', () => {
    expect(DEFAULT_ENV_FILE).toBe(join(PROJECT_ROOT, '.env'));
    const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { name: string };
    expect(manifest.name).toBe('telenexus');
  });
});
