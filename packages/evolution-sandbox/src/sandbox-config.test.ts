import { SandboxConfigError, loadSandboxConfig } from './sandbox-config';

describe('loadSandboxConfig', () => {
  it('When nothing is set, then the documented defaults apply', () => {
    expect(loadSandboxConfig({})).toEqual({
      port: 8081,
      host: '127.0.0.1',
      globalApiKey: 'sandbox-global-key',
      autoCreateInstances: false,
      latencyMs: 0,
      serverAckMs: 100,
      deliveryAckMs: 500,
      readMs: 2000,
      readProbability: 1,
    });
  });

  it('When every variable is set, then each is read, "never" meaning no receipt', () => {
    const config = loadSandboxConfig({
      SANDBOX_PORT: '9000',
      SANDBOX_HOST: '0.0.0.0',
      EVOLUTION_API_KEY: 'k',
      SANDBOX_AUTO_CREATE_INSTANCES: 'true',
      SANDBOX_LATENCY_MS: '25',
      SANDBOX_SERVER_ACK_MS: '0',
      SANDBOX_DELIVERY_ACK_MS: 'never',
      SANDBOX_READ_MS: '10',
      SANDBOX_READ_PROBABILITY: '0.25',
    });
    expect(config).toEqual({
      port: 9000,
      host: '0.0.0.0',
      globalApiKey: 'k',
      autoCreateInstances: true,
      latencyMs: 25,
      serverAckMs: 0,
      deliveryAckMs: null,
      readMs: 10,
      readProbability: 0.25,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('When several variables are invalid, then every problem is listed at once', () => {
    let thrown: unknown;
    try {
      loadSandboxConfig({
        SANDBOX_PORT: '70000',
        SANDBOX_AUTO_CREATE_INSTANCES: 'maybe',
        SANDBOX_READ_MS: '-1',
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SandboxConfigError);
    expect((thrown as SandboxConfigError).problems).toHaveLength(3);
  });
});
