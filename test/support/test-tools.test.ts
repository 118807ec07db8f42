import { missingToolsMessage, planTestTools, type TestTool } from './test-tools';

const tool = (name: string, present: boolean, debianPackage = name): TestTool => ({
  name,
  neededBy: `the ${name} tests`,
  debianPackage,
  isPresent: () => present,
});

describe('The programs npm test needs', () => {
  it('When every program is here, then the run is ready', () => {
    expect(planTestTools([tool('php', true)], false)).toEqual({ kind: 'ready' });
  });

  it('When some are missing and apt-get can be run as root, then exactly those are installed', () => {
    const plan = planTestTools([tool('Chromium', false, 'chromium'), tool('php', true)], true);
    expect(plan.kind).toBe('install');
    expect(plan.kind !== 'ready' && plan.tools.map((missing) => missing.debianPackage)).toEqual(['chromium']);
  });

  it('When some are missing and cannot be installed, then one message names each and the command', () => {
    const plan = planTestTools([tool('Chromium', false, 'chromium'), tool('php', false, 'php-cli')], false);
    expect(plan.kind).toBe('missing');
    if (plan.kind !== 'missing') return;
    expect(missingToolsMessage(plan.tools)).toBe(
      [
        'The tests need programs this machine does not have:',
        '  - Chromium, for the Chromium tests',
        '  - php, for the php tests',
        'Install them (Debian or Ubuntu) with:',
        '  sudo apt-get install -y chromium php-cli',
        'Chromium may be anywhere if CHROMIUM_PATH names it.',
        '',
      ].join('\n'),
    );
  });
});
