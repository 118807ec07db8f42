import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVICE_NODE_FLAGS } from '../../runtime/src';
import { startChild } from '../src/child-services';

let directory: string;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'telenexus-child-'));
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('services started by telenexus start', () => {
  it('When a service is started, then its Node runs with the service flags, after any of our own', async () => {
    const script = join(directory, 'report-flags.js');
    writeFileSync(script, 'process.send({ execArgv: process.execArgv }, () => process.exit(0));\n');
    const child = startChild('flags', script, { PATH: process.env.PATH ?? '' });
    const report = await new Promise<{ execArgv: string[] }>((resolve) =>
      child.process.once('message', (message) => resolve(message as { execArgv: string[] })),
    );

    expect(await child.exited).toBe(0);
    expect(report.execArgv.slice(-SERVICE_NODE_FLAGS.length)).toEqual([...SERVICE_NODE_FLAGS]);
  });
});
